import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  approxCount,
  approxMean,
  approxSum,
  inverseNormalCdf,
  inverseStudentTCdf,
  logGamma,
  normalCdf,
} from '../../core/approx.js';
import { ConfigError } from '../../core/errors.js';
import { makeRng } from '../../core/sampling.js';
import { StatCounter } from '../../core/stat-counter.js';

function expectRel(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1e-300, Math.abs(expected)));
}

const Z975 = 1.959963984540054; // scipy.stats.norm.ppf(0.975)
const T975_9 = 2.262157162798205; // scipy.stats.t.ppf(0.975, 9)

describe('inverseNormalCdf', () => {
  it('matches reference quantiles to 1e-12', () => {
    // scipy.stats.norm.ppf
    const table: [number, number][] = [
      [0.975, Z975],
      [0.95, 1.6448536269514722],
      [0.995, 2.5758293035489004],
      [0.9, 1.2815515655446004],
      [0.999, 3.090232306167813],
      [0.3, -0.5244005127080409],
      [0.02425, -1.972961051311885],
      [1e-10, -6.361340902404056],
      [1e-300, -37.0470962993612],
    ];
    for (const [p, x] of table) expectRel(inverseNormalCdf(p), x, 1e-12);
  });

  it('is 0 at one half, infinite at 0 and 1, NaN outside [0, 1]', () => {
    expect(inverseNormalCdf(0.5)).toBe(0);
    expect(inverseNormalCdf(0)).toBe(-Infinity);
    expect(inverseNormalCdf(1)).toBe(Infinity);
    expect(inverseNormalCdf(-0.1)).toBeNaN();
    expect(inverseNormalCdf(1.1)).toBeNaN();
    expect(inverseNormalCdf(NaN)).toBeNaN();
  });

  it('inverts normalCdf', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-200, max: 0.999999, noNaN: true }), (p) => {
        expectRel(normalCdf(inverseNormalCdf(p)), p, 1e-11);
      }),
    );
  });

  it('is odd about one half', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 0.5, noNaN: true }), (p) => {
        expect(Math.abs(inverseNormalCdf(p) + inverseNormalCdf(1 - p))).toBeLessThan(1e-9);
      }),
    );
  });
});

describe('inverseStudentTCdf', () => {
  it('matches reference quantiles to 1e-12', () => {
    // scipy.stats.t.ppf(p, df)
    const table: [number, number, number][] = [
      [0.975, 1, 12.706204736174694],
      [0.995, 1, 63.656741162871526],
      [0.975, 2, 4.302652729749462],
      [0.975, 3, 3.1824463052837078],
      [0.995, 5, 4.032142983555228],
      [0.975, 9, T975_9],
      [0.95, 4, 2.1318467863266495],
      [0.6, 10, 0.2601848294920803],
      [0.975, 30, 2.0422724563012378],
      [0.975, 99, 1.9842169515864174],
      [0.975, 1000, 1.9623390808264083],
      [0.025, 3, -3.1824463052837086],
    ];
    for (const [p, df, t] of table) expectRel(inverseStudentTCdf(p, df), t, 1e-12);
  });

  it('approaches the normal quantile as df grows', () => {
    expect(Math.abs(inverseStudentTCdf(0.975, 1e6) - Z975)).toBeLessThan(1e-5);
  });

  it('is NaN for bad arguments', () => {
    expect(inverseStudentTCdf(0.5, 0)).toBeNaN();
    expect(inverseStudentTCdf(2, 3)).toBeNaN();
  });
});

describe('logGamma', () => {
  it('matches reference values', () => {
    // Python math.lgamma
    const table: [number, number][] = [
      [0.5, 0.5723649429247004],
      [10, 12.801827480081467],
      [100, 359.1342053695754],
      [1e6, 12815504.569147611],
      [0.1, 2.2527126517342055],
      [3.7, 1.4280723266653883],
    ];
    for (const [x, y] of table) expectRel(logGamma(x), y, 1e-13);
  });
});

describe('approxCount', () => {
  it('is exact once every partition finished', () => {
    expect(approxCount(123, 4, 4, 0.95)).toEqual({ value: 123, low: 123, high: 123, confidence: 1 });
  });

  it('knows nothing before any partition finished', () => {
    expect(approxCount(0, 0, 4, 0.95)).toEqual({ value: 0, low: 0, high: Infinity, confidence: 0 });
  });

  it('extrapolates with a normal interval around the negative binomial mean', () => {
    // p = 1/4: mean = (50 + 0.75) / 0.25 = 203, variance = 51 * 0.75 / 0.0625 = 612
    const r = approxCount(50, 1, 4, 0.95);
    expect(r.value).toBe(203);
    expect(r.confidence).toBe(0.95);
    expectRel(r.low, 203 - Z975 * Math.sqrt(612), 1e-12);
    expectRel(r.high, 203 + Z975 * Math.sqrt(612), 1e-12);
  });

  it('never puts the low bound below the count already seen', () => {
    // p = 3/4, sum 10: the normal low bound is about 9.3
    expect(approxCount(10, 3, 4, 0.95).low).toBe(10);
  });

  it('widens with confidence', () => {
    const a = approxCount(50, 2, 4, 0.8);
    const b = approxCount(50, 2, 4, 0.99);
    expect(b.high - b.low).toBeGreaterThan(a.high - a.low);
  });

  it('rejects a confidence outside (0, 1) with a ConfigError', () => {
    for (const c of [0, 1, -0.5, 95, NaN]) {
      expect(() => approxCount(1, 1, 2, c)).toThrow(ConfigError);
      expect(() => approxCount(1, 1, 2, c)).toThrow(/confidence must be strictly between 0 and 1/);
    }
  });

  it('rejects finished partitions outside [0, total]', () => {
    expect(() => approxCount(1, 3, 2, 0.9)).toThrow(ConfigError);
    expect(() => approxCount(1, 1, 0, 0.9)).toThrow(ConfigError);
  });
});

describe('approxMean', () => {
  const oneToTen = new StatCounter([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  it('is exact once every partition finished', () => {
    expect(approxMean(oneToTen, 3, 3, 0.9)).toEqual({ value: 5.5, low: 5.5, high: 5.5, confidence: 1 });
  });

  it('uses a Student t interval for small samples', () => {
    // sample variance 55/6, so the standard error is sqrt(55/60)
    const r = approxMean(oneToTen, 2, 5, 0.95);
    const half = T975_9 * Math.sqrt(55 / 60);
    expect(r.value).toBe(5.5);
    expectRel(r.low, 5.5 - half, 1e-12);
    expectRel(r.high, 5.5 + half, 1e-12);
  });

  it('uses a normal interval above 100 values', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    const s = new StatCounter(values);
    const r = approxMean(s, 1, 2, 0.95);
    expectRel(r.high - r.value, Z975 * Math.sqrt(s.sampleVariance / 101), 1e-12);
  });

  it('has unbounded intervals with one value or none', () => {
    expect(approxMean(new StatCounter([4]), 1, 2, 0.9)).toEqual({ value: 4, low: -Infinity, high: Infinity, confidence: 0.9 });
    expect(approxMean(new StatCounter(), 0, 2, 0.9)).toEqual({ value: 0, low: -Infinity, high: Infinity, confidence: 0 });
  });

  it('covers the true mean about as often as promised', () => {
    const rng = makeRng('coverage');
    const gaussian = (): number => inverseNormalCdf(rng());
    let covered = 0;
    const trials = 1000;
    for (let t = 0; t < trials; t++) {
      const s = new StatCounter();
      for (let i = 0; i < 12; i++) s.merge(10 + 3 * gaussian());
      const r = approxMean(s, 1, 2, 0.9);
      if (r.low <= 10 && 10 <= r.high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.87);
    expect(covered / trials).toBeLessThan(0.93);
  });
});

describe('approxSum', () => {
  const oneToTen = new StatCounter([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  it('is exact once every partition finished', () => {
    expect(approxSum(oneToTen, 2, 2, 0.95)).toEqual({ value: 55, low: 55, high: 55, confidence: 1 });
  });

  it('multiplies the count and mean estimates and combines their variances', () => {
    // p = 1/2: count estimate 21, mean 5.5, countVar 22, meanVar 55/60
    const r = approxSum(oneToTen, 1, 2, 0.95);
    const meanVar = 55 / 60;
    const sumVar = 5.5 * 5.5 * 22 + 21 * 21 * meanVar + meanVar * 22;
    expect(r.value).toBe(115.5);
    expectRel(r.low, 115.5 - T975_9 * Math.sqrt(sumVar), 1e-12);
    expectRel(r.high, 115.5 + T975_9 * Math.sqrt(sumVar), 1e-12);
  });

  it('has an unbounded interval with a single value', () => {
    const r = approxSum(new StatCounter([3]), 1, 4, 0.95);
    expect(r.value).toBeCloseTo(3 * (2 - 0.25) / 0.25, 12);
    expect([r.low, r.high]).toEqual([-Infinity, Infinity]);
  });

  it('knows nothing before any partition finished', () => {
    expect(approxSum(new StatCounter(), 0, 4, 0.95)).toEqual({ value: 0, low: -Infinity, high: Infinity, confidence: 0 });
  });
});
