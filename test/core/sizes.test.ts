import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../core/errors.js';
import { formatBytes, parseSize } from '../../core/sizes.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe('parseSize', () => {
  it('reads plain byte counts, with or without b', () => {
    expect(parseSize('512', 'opt')).toBe(512);
    expect(parseSize('512b', 'opt')).toBe(512);
    expect(parseSize(' 512 B ', 'opt')).toBe(512);
  });

  it('uses binary multiples for k, m, g, t', () => {
    expect(parseSize('64k', 'opt')).toBe(64 * KiB);
    expect(parseSize('2m', 'opt')).toBe(2 * MiB);
    expect(parseSize('2g', 'opt')).toBe(2 * GiB);
    expect(parseSize('1t', 'opt')).toBe(1024 * GiB);
  });

  it('accepts KB / KiB spellings in any case', () => {
    expect(parseSize('2GB', 'opt')).toBe(2 * GiB);
    expect(parseSize('2GiB', 'opt')).toBe(2 * GiB);
    expect(parseSize('3kib', 'opt')).toBe(3 * KiB);
    expect(parseSize('3 Mb', 'opt')).toBe(3 * MiB);
  });

  it('accepts fractions and rounds to whole bytes', () => {
    expect(parseSize('1.5g', 'opt')).toBe(1.5 * GiB);
    expect(parseSize('.5k', 'opt')).toBe(512);
    expect(parseSize('1.1k', 'opt')).toBe(1126);
  });

  it('takes a number as bytes', () => {
    expect(parseSize(4096, 'opt')).toBe(4096);
  });

  it('rejects malformed text with a ConfigError naming the option', () => {
    for (const bad of ['', 'g', '2x', '-1g', '2ib', '1e3', '2 g b', 'lots']) {
      let error: unknown;
      try {
        parseSize(bad, 'executor.memory');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe('executor.memory');
      expect((error as ConfigError).message).toBe(
        `executor.memory: expected a size like '512m' or '2g', got '${bad}'`,
      );
    }
  });

  it('rejects negative, fractional and non-finite numbers', () => {
    for (const bad of [-1, 1.5, NaN, Infinity]) expect(() => parseSize(bad, 'opt')).toThrow(ConfigError);
  });

  it('round-trips every whole number of units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(['', 1], ['k', KiB], ['m', MiB], ['g', GiB]), (n, [unit, scale]) => {
        expect(parseSize(`${n}${unit as string}`, 'opt')).toBe(n * (scale as number));
      }),
    );
  });
});

describe('formatBytes', () => {
  it('prints bytes below 1 KiB as B', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
  });

  it('picks the largest binary unit and one decimal at most', () => {
    expect(formatBytes(1.5 * GiB)).toBe('1.5 GiB');
    expect(formatBytes(64 * KiB)).toBe('64 KiB');
    expect(formatBytes(1234567)).toBe('1.2 MiB');
  });

  it('moves up a unit when rounding reaches 1024', () => {
    expect(formatBytes(MiB - 1)).toBe('1 MiB');
  });

  it('keeps the sign of negative counts', () => {
    expect(formatBytes(-2 * KiB)).toBe('-2 KiB');
  });

  it('round-trips through parseSize within 5%', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 2 ** 50 }), (n) => {
        const [value, unit] = formatBytes(n).split(' ');
        const back = parseSize(`${value}${unit}`, 'opt');
        expect(Math.abs(back - n) / n).toBeLessThan(0.05);
      }),
    );
  });
});
