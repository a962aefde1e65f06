import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { SerializationError } from '../../core/errors.js';
import { StatCounter } from '../../core/stat-counter.js';

function expectClose(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

describe('StatCounter', () => {
  it('starts empty: count 0, mean 0, max -Infinity, min Infinity, variance NaN', () => {
    const s = new StatCounter();
    expect([s.count, s.mean, s.m2, s.max, s.min, s.sum]).toEqual([0, 0, 0, -Infinity, Infinity, 0]);
    expect(s.variance).toBeNaN();
    expect(s.sampleVariance).toBeNaN();
  });

  it('computes hand-checked statistics of 2, 4, 4, 4, 5, 5, 7, 9', () => {
    const s = new StatCounter([2, 4, 4, 4, 5, 5, 7, 9]);
    expect([s.count, s.mean, s.sum, s.max, s.min]).toEqual([8, 5, 40, 9, 2]);
    expect(s.m2).toBe(32);
    expect(s.variance).toBe(4);
    expect(s.stdev).toBe(2);
    expect(s.sampleVariance).toBeCloseTo(32 / 7, 15);
    expect(s.sampleStdev).toBeCloseTo(Math.sqrt(32 / 7), 15);
  });

  it('has NaN sample variance for a single value', () => {
    const s = new StatCounter([3]);
    expect(s.variance).toBe(0);
    expect(s.sampleVariance).toBeNaN();
  });

  it('merges partitions in any split to the one-pass result', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (values, cuts) => {
          const bounds = [...new Set(cuts.map((c) => c % (values.length + 1)))].sort((a, b) => a - b);
          const edges = [0, ...bounds, values.length];
          const merged = new StatCounter();
          for (let i = 0; i + 1 < edges.length; i++) merged.mergeStats(new StatCounter(values.slice(edges[i], edges[i + 1])));
          const whole = new StatCounter(values);
          expect(merged.count).toBe(whole.count);
          expect(merged.max).toBe(whole.max);
          expect(merged.min).toBe(whole.min);
          const scale = Math.max(1, ...values.map(Math.abs));
          expect(Math.abs(merged.mean - whole.mean)).toBeLessThanOrEqual(1e-9 * scale);
          expect(Math.abs(merged.m2 - whole.m2)).toBeLessThanOrEqual(1e-9 * Math.max(scale * scale, whole.m2));
        },
      ),
    );
  });

  it('matches a two-pass mean and variance', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 50 }), (values) => {
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const m2 = values.reduce((a, v) => a + (v - mean) ** 2, 0);
        const s = new StatCounter(values);
        expectClose(s.mean, mean);
        expectClose(s.m2, m2, 1e-8);
      }),
    );
  });

  it('doubles itself when merged with itself', () => {
    const s = new StatCounter([1, 2, 3]);
    s.mergeStats(s);
    expect(s.count).toBe(6);
    expect(s.mean).toBe(2);
    expect(s.m2).toBe(4);
  });

  it('is unchanged by merging an empty counter, and copies a counter merged into an empty one', () => {
    const s = new StatCounter([1, 5]);
    expect(s.mergeStats(new StatCounter()).toJSON()).toEqual({ count: 2, mean: 3, m2: 8, max: 5, min: 1 });
    expect(new StatCounter().mergeStats(s).toJSON()).toEqual(s.toJSON());
  });

  it('copies independently', () => {
    const s = new StatCounter([1, 2]);
    const c = s.copy().merge(10);
    expect(s.count).toBe(2);
    expect(c.count).toBe(3);
  });

  it('round-trips through toJSON / fromJSON, also through JSON text when empty', () => {
    const s = new StatCounter([1.5, -2, 8]);
    expect(StatCounter.fromJSON(s.toJSON()).toJSON()).toEqual(s.toJSON());
    const empty = StatCounter.fromJSON(JSON.parse(JSON.stringify(new StatCounter())));
    expect([empty.count, empty.max, empty.min]).toEqual([0, -Infinity, Infinity]);
  });

  it('rejects malformed data in fromJSON', () => {
    expect(() => StatCounter.fromJSON({ count: 1, mean: 'x' })).toThrow(SerializationError);
    expect(() => StatCounter.fromJSON(null)).toThrow(/count is undefined/);
  });
});
