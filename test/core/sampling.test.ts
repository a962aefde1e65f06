import { describe, expect, it } from 'vitest';

import { logGamma } from '../../core/approx.js';
import { ConfigError } from '../../core/errors.js';
import { bernoulliSampler, fractionForSampleSize, makeRng, poissonSampler, shuffleInPlace } from '../../core/sampling.js';

function draw<T>(n: number, next: () => T): T[] {
  return Array.from({ length: n }, next);
}

function meanAndVariance(xs: readonly number[]): [number, number] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [mean, xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length];
}

describe('makeRng', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draw(5, makeRng(42))).toEqual(draw(5, makeRng(42)));
    expect(draw(5, makeRng(42))).toEqual(draw(5, makeRng('42')));
  });

  it('gives different sequences for different seeds', () => {
    expect(draw(5, makeRng(1))).not.toEqual(draw(5, makeRng(2)));
  });

  it('draws uniformly from (0, 1)', () => {
    const xs = draw(50_000, makeRng('uniform'));
    expect(xs.every((x) => x > 0 && x < 1)).toBe(true);
    const [mean, variance] = meanAndVariance(xs);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 2);
  });
});

describe('bernoulliSampler', () => {
  it('keeps items at the requested rate', () => {
    const kept = draw(100_000, bernoulliSampler(0.3, 7)).filter(Boolean).length;
    expect(Math.abs(kept / 100_000 - 0.3)).toBeLessThan(0.006); // ~4 standard deviations
  });

  it('is deterministic per seed', () => {
    expect(draw(50, bernoulliSampler(0.5, 3))).toEqual(draw(50, bernoulliSampler(0.5, 3)));
  });

  it('keeps nothing at 0 and everything at 1', () => {
    expect(draw(1000, bernoulliSampler(0, 1)).some(Boolean)).toBe(false);
    expect(draw(1000, bernoulliSampler(1, 1)).every(Boolean)).toBe(true);
  });

  it('rejects fractions outside [0, 1]', () => {
    for (const f of [-0.1, 1.5, NaN]) expect(() => bernoulliSampler(f, 1)).toThrow(ConfigError);
  });
});

describe('poissonSampler', () => {
  it.each([0.5, 3, 9.9, 10, 50, 1000])('has mean and variance close to %d', (mean) => {
    const [m, v] = meanAndVariance(draw(40_000, poissonSampler(mean, 11)));
    // 5 standard errors of the sample mean; the variance within 5%.
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / 40_000));
    expect(Math.abs(v / mean - 1)).toBeLessThan(0.05);
  });

  it.each([4, 30])('matches the Poisson probabilities at mean %d (total variation < 0.01)', (mean) => {
    const n = 100_000;
    const counts = new Map<number, number>();
    for (const k of draw(n, poissonSampler(mean, 5))) counts.set(k, (counts.get(k) ?? 0) + 1);
    let tv = 0;
    for (let k = 0; k < mean * 4; k++) {
      const pmf = Math.exp(-mean + k * Math.log(mean) - logGamma(k + 1));
      tv += Math.abs((counts.get(k) ?? 0) / n - pmf);
    }
    expect(tv / 2).toBeLessThan(0.01);
  });

  it('returns whole non-negative numbers, and always 0 for mean 0', () => {
    expect(draw(1000, poissonSampler(25, 2)).every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
    expect(draw(100, poissonSampler(0, 2)).every((k) => k === 0)).toBe(true);
  });

  it('is deterministic per seed', () => {
    expect(draw(50, poissonSampler(40, 9))).toEqual(draw(50, poissonSampler(40, 9)));
  });

  it('rejects negative or infinite means', () => {
    for (const m of [-1, Infinity, NaN]) expect(() => poissonSampler(m, 1)).toThrow(ConfigError);
  });
});

describe('shuffleInPlace', () => {
  it('permutes the array in place and returns it', () => {
    const arr = Array.from({ length: 100 }, (_, i) => i);
    const out = shuffleInPlace(arr, makeRng(1));
    expect(out).toBe(arr);
    expect([...arr].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(arr).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('makes every ordering of three items equally likely', () => {
    const rng = makeRng('perm');
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = shuffleInPlace(['a', 'b', 'c'], rng).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('leaves empty and single-item arrays alone', () => {
    expect(shuffleInPlace([], makeRng(1))).toEqual([]);
    expect(shuffleInPlace([7], makeRng(1))).toEqual([7]);
  });
});

describe('fractionForSampleSize', () => {
  it('pads a Poisson mean by 12, 9 or 6 standard deviations with replacement', () => {
    expect(fractionForSampleSize(4, 1000, true)).toBeCloseTo((4 + 12 * 2) / 1000, 15);
    expect(fractionForSampleSize(9, 1000, true)).toBeCloseTo((9 + 9 * 3) / 1000, 15);
    expect(fractionForSampleSize(100, 1000, true)).toBeCloseTo((100 + 6 * 10) / 1000, 15);
  });

  it('uses the binomial upper bound with delta 1e-4 without replacement', () => {
    const gamma = Math.log(1e4) / 10_000;
    const expected = 0.01 + gamma + Math.sqrt(gamma * gamma + 2 * gamma * 0.01);
    expect(fractionForSampleSize(100, 10_000, false)).toBeCloseTo(expected, 15);
  });

  it('caps the fraction at 1 without replacement and floors it at 1e-10', () => {
    expect(fractionForSampleSize(1000, 1000, false)).toBe(1);
    expect(fractionForSampleSize(0, 1, true)).toBe(1e-10);
  });

  it('yields at least the requested sample in practice', () => {
    const fraction = fractionForSampleSize(50, 2000, false);
    for (let seed = 0; seed < 100; seed++) {
      const keep = bernoulliSampler(fraction, seed);
      expect(draw(2000, keep).filter(Boolean).length).toBeGreaterThanOrEqual(50);
    }
  });

  it('rejects a non-positive total', () => {
    expect(() => fractionForSampleSize(1, 0, false)).toThrow(ConfigError);
  });
});
