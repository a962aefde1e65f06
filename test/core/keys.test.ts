import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../core/errors.js';
import { canonicalKeyString, compareKeys, hashKey, keysEqual } from '../../core/keys.js';

/** Keys from a small universe, so that equal keys (and 0 / -0, NaN) come up often. */
const key: fc.Arbitrary<unknown> = fc.letrec<{ key: unknown }>((tie) => ({
  key: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(undefined, null, true, false, 0, -0, NaN, Infinity, -Infinity, 1.5, 2 ** 40),
    fc.integer({ min: -3, max: 3 }),
    fc.double(),
    fc.constantFrom('', 'a', 'b', 'ab', '1', 'true', ',', ']'),
    fc.string({ maxLength: 4 }),
    fc.array(tie('key'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('key'), { maxKeys: 2 }),
  ),
})).key;

/** Sorts keys with compareKeys. Array#sort itself always moves `undefined` last, so wrap them. */
function sortKeys(keys: readonly unknown[]): unknown[] {
  return keys
    .map((k) => [k] as const)
    .sort((a, b) => compareKeys(a[0], b[0]))
    .map((w) => w[0]);
}

describe('hashKey', () => {
  it('returns a non-negative 31-bit integer', () => {
    fc.assert(
      fc.property(key, (k) => {
        const h = hashKey(k);
        expect(Number.isInteger(h) && h >= 0 && h <= 0x7fffffff).toBe(true);
      }),
    );
  });

  it('gives pinned values, so partition placement is the same in every process', () => {
    const keys = [0, 1, -1, 'a', '', [1, 'a'], 0.5, 2 ** 40, true, null, undefined, { a: 1 }];
    expect(keys.map(hashKey)).toEqual([
      0, 1364076727, 32599865, 298494453, 1807139368, 1485910741, 1160987682, 138556326, 461845907, 695872825,
      739982445, 1411610648,
    ]);
  });

  it('hashes 0 and -0 alike', () => {
    expect(hashKey(-0)).toBe(hashKey(0));
    expect(hashKey([-0, [-0]])).toBe(hashKey([0, [0]]));
  });

  it('hashes every NaN alike', () => {
    const other = new Float64Array(new Uint32Array([1, 0x7ff80001]).buffer)[0]!;
    expect(Number.isNaN(other)).toBe(true);
    expect(hashKey(other)).toBe(hashKey(NaN));
  });

  it('agrees with keysEqual', () => {
    fc.assert(fc.property(key, key, (a, b) => !keysEqual(a, b) || hashKey(a) === hashKey(b)));
  });

  it('depends on element order', () => {
    expect(hashKey([1, 2])).not.toBe(hashKey([2, 1]));
    expect(hashKey(['ab', 'c'])).not.toBe(hashKey(['a', 'bc']));
  });

  it('spreads consecutive integers over buckets', () => {
    const buckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) buckets[hashKey(i) % 16]!++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });

  it('hashes plain objects by content, not property order', () => {
    expect(hashKey({ a: 1, b: [2] })).toBe(hashKey({ b: [2], a: 1 }));
  });

  it('rejects class instances with a ConfigError', () => {
    expect(() => hashKey(new Date(0))).toThrow(ConfigError);
    expect(() => hashKey(new Date(0))).toThrow(/instance of Date/);
  });
});

describe('keysEqual', () => {
  it('compares nested arrays structurally', () => {
    expect(keysEqual([1, [2, 'a']], [1, [2, 'a']])).toBe(true);
    expect(keysEqual([1, [2, 'a']], [1, [2, 'b']])).toBe(false);
    expect(keysEqual([1], [1, 2])).toBe(false);
  });

  it('treats 0 and -0 as equal and NaN as equal to itself', () => {
    expect(keysEqual(0, -0)).toBe(true);
    expect(keysEqual(NaN, NaN)).toBe(true);
    expect(keysEqual([NaN], [NaN])).toBe(true);
  });

  it('does not coerce between types', () => {
    expect(keysEqual(1, '1')).toBe(false);
    expect(keysEqual(true, 1)).toBe(false);
    expect(keysEqual(null, undefined)).toBe(false);
    expect(keysEqual([], {})).toBe(false);
  });

  it('compares plain objects by own keys', () => {
    expect(keysEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(keysEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });
});

describe('compareKeys', () => {
  it('orders kinds undefined < null < booleans < numbers < strings < arrays < objects', () => {
    const sorted = sortKeys([{ a: 1 }, [0], 'a', 1, true, false, null, undefined]);
    expect(sorted).toEqual([undefined, null, false, true, 1, 'a', [0], { a: 1 }]);
  });

  it('puts NaN after every other number', () => {
    expect(sortKeys([NaN, Infinity, -1, NaN, 0])).toEqual([-1, 0, Infinity, NaN, NaN]);
  });

  it('orders strings by code unit and arrays lexicographically, prefix first', () => {
    expect(sortKeys(['b', 'B', 'a', 'ab'])).toEqual(['B', 'a', 'ab', 'b']);
    expect(sortKeys([[1, 2], [1], [0, 9], []])).toEqual([[], [0, 9], [1], [1, 2]]);
  });

  it('is zero exactly when keysEqual', () => {
    fc.assert(fc.property(key, key, (a, b) => (compareKeys(a, b) === 0) === keysEqual(a, b)));
  });

  it('is antisymmetric', () => {
    fc.assert(fc.property(key, key, (a, b) => Math.sign(compareKeys(a, b)) === -Math.sign(compareKeys(b, a))));
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(key, key, key, (a, b, c) => {
        const [x, y, z] = sortKeys([a, b, c]);
        return compareKeys(x, z) <= 0 && compareKeys(x, y) <= 0 && compareKeys(y, z) <= 0;
      }),
    );
  });
});

describe('canonicalKeyString', () => {
  it('is equal exactly when keysEqual', () => {
    fc.assert(fc.property(key, key, (a, b) => (canonicalKeyString(a) === canonicalKeyString(b)) === keysEqual(a, b)));
  });

  it('keeps strings containing separators apart', () => {
    expect(canonicalKeyString(['a,s1:b'])).not.toBe(canonicalKeyString(['a', 'b']));
    expect(canonicalKeyString([1, '2'])).not.toBe(canonicalKeyString(['1', 2]));
  });

  it('encodes -0 as 0', () => {
    expect(canonicalKeyString([-0])).toBe(canonicalKeyString([0]));
  });
});
