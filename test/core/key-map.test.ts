import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { KeyMap } from '../../core/key-map.js';
import { keysEqual } from '../../core/keys.js';

/** A small key universe so that operations often hit keys already present. */
const key: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, NaN, 1, 2.5, '0', '', 'a', true, false, null, undefined),
  fc.tuple(fc.constantFrom(0, -0, 1, 'a'), fc.constantFrom('a', null, [1])),
  fc.record({ a: fc.constantFrom(1, -0, 'x') }),
);

type Op = { op: 'set'; key: unknown; value: number } | { op: 'delete'; key: unknown } | { op: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

/** The reference model: a list of [key, value] pairs searched with keysEqual. */
class ModelMap {
  pairs: [unknown, number][] = [];
  find(k: unknown): number {
    return this.pairs.findIndex((p) => keysEqual(p[0], k));
  }
  apply(o: Op): void {
    if (o.op === 'clear') this.pairs = [];
    else if (o.op === 'delete') {
      const i = this.find(o.key);
      if (i >= 0) this.pairs.splice(i, 1);
    } else {
      const i = this.find(o.key);
      if (i >= 0) this.pairs[i]![1] = o.value;
      else this.pairs.push([o.key, o.value]);
    }
  }
}

describe('KeyMap', () => {
  it('behaves like a list of pairs compared with keysEqual', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(key, { maxLength: 10 }), (ops, probes) => {
        const map = new KeyMap<unknown, number>();
        const model = new ModelMap();
        for (const o of ops) {
          if (o.op === 'delete') expect(map.delete(o.key)).toBe(model.find(o.key) >= 0);
          else if (o.op === 'set') expect(map.set(o.key, o.value)).toBe(map);
          else map.clear();
          model.apply(o);
        }
        expect(map.size).toBe(model.pairs.length);
        for (const k of probes) {
          const i = model.find(k);
          expect(map.has(k)).toBe(i >= 0);
          expect(map.get(k)).toBe(i >= 0 ? model.pairs[i]![1] : undefined);
        }
        const entries = [...map];
        expect(entries.length).toBe(model.pairs.length);
        for (const [k, v] of entries) expect(model.pairs[model.find(k)]![1]).toBe(v);
      }),
    );
  });

  it('finds composite keys by structure', () => {
    const map = new KeyMap<unknown, string>();
    map.set([1, [2, 'a']], 'x');
    expect(map.get([1, [2, 'a']])).toBe('x');
    expect(map.get([1, [2, 'b']])).toBeUndefined();
  });

  it('stores -0 and 0 under one key, and finds NaN', () => {
    const map = new KeyMap<number, string>().set(-0, 'neg').set(0, 'pos').set(NaN, 'nan');
    expect(map.size).toBe(2);
    expect(map.get(-0)).toBe('pos');
    expect(map.get(NaN)).toBe('nan');
  });

  it('keeps number 1 and string "1" apart', () => {
    const map = new KeyMap<unknown, string>().set(1, 'n').set('1', 's').set([1], 'a').set(['1'], 'as');
    expect([map.get(1), map.get('1'), map.get([1]), map.get(['1'])]).toEqual(['n', 's', 'a', 'as']);
  });

  it('iterates numbers, then strings, then composite keys, each in insertion order', () => {
    const map = new KeyMap<unknown, number>([
      [['b'], 1],
      ['y', 2],
      [3, 3],
      ['x', 4],
      [1, 5],
    ]);
    expect([...map.keys()]).toEqual([3, 1, 'y', 'x', ['b']]);
    expect([...map.values()]).toEqual([3, 5, 2, 4, 1]);
    expect([...map.entries()]).toEqual([...map]);
  });

  it('keeps the first-inserted form of a composite key when its value is replaced', () => {
    const first = [1, 'a'];
    const map = new KeyMap<unknown, number>().set(first, 1).set([1, 'a'], 2);
    expect([...map]).toEqual([[first, 2]]);
    expect(map.keys().next().value).toBe(first);
  });

  it('visits every entry with forEach(value, key)', () => {
    const map = new KeyMap<unknown, number>([[1, 10], ['a', 20], [[null], 30]]);
    const seen: [number, unknown][] = [];
    map.forEach((v, k) => seen.push([v, k]));
    expect(seen).toEqual([[10, 1], [20, 'a'], [30, [null]]]);
  });

  it('clears all three stores', () => {
    const map = new KeyMap<unknown, number>([[1, 1], ['a', 2], [[1], 3]]);
    map.clear();
    expect(map.size).toBe(0);
    expect([...map]).toEqual([]);
  });
});
