/**
 * Seeded sampling for `rdd.sample`, `takeSample` and `randomSplit`. Every sampler is a pure
 * function of its seed, so a recomputed partition draws the same sample again (lineage-based
 * recovery depends on it).
 *
 * Random numbers come from seedrandom's xor4096 (Brent's xorgens: fast, long period, safe with
 * many nearby seeds) read at 53-bit resolution, so fractions down to Spark's 1e-10 floor work.
 */

import seedrandom from 'seedrandom';

import { logGamma } from './approx.js';
import { ConfigError } from './errors.js';

/** A uniform generator on (0, 1) determined by `seed`; the same seed gives the same sequence. */
export function makeRng(seed: number | string): () => number {
  return seedrandom.xor4096(String(seed)).double;
}

/** Returns a function that says, independently for each item, whether to keep it with probability `fraction`. */
export function bernoulliSampler(fraction: number, seed: number): () => boolean {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new ConfigError('fraction', `fraction must be in [0, 1] when sampling without replacement, got ${fraction}`);
  }
  const rng = makeRng(seed);
  return () => rng() < fraction;
}

/**
 * Returns a function that draws how many copies of an item to keep, Poisson-distributed with the
 * given mean (sampling with replacement). Knuth's multiplication method below mean 10; above it,
 * Hörmann's PTRS transformed rejection (1993), which costs O(1) draws for any mean.
 */
export function poissonSampler(mean: number, seed: number): () => number {
  if (!(mean >= 0 && mean < Infinity)) {
    throw new ConfigError('fraction', `the expected number of copies must be a finite number >= 0, got ${mean}`);
  }
  const rng = makeRng(seed);
  if (mean === 0) return () => 0;
  if (mean < 10) {
    const limit = Math.exp(-mean);
    return () => {
      let k = 0;
      for (let p = rng(); p > limit; p *= rng()) k++;
      return k;
    };
  }
  return ptrs(mean, rng);
}

/** PTRS (Hörmann, "The transformed rejection method for generating Poisson random variables"). */
function ptrs(mean: number, rng: () => number): () => number {
  const slam = Math.sqrt(mean);
  const logLam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  return () => {
    for (;;) {
      const u = rng() - 0.5;
      const v = rng();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -mean + k * logLam - logGamma(k + 1)) return k;
    }
  };
}

/** Shuffles `arr` in place with Fisher–Yates (Durstenfeld) and returns it. */
export function shuffleInPlace<T>(arr: T[], rng: () => number): T[] {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = tmp;
  }
  return arr;
}

/**
 * The sampling fraction that yields at least `sampleSizeLowerBound` of `total` items 99.99% of the
 * time (Spark's SamplingUtils.computeFractionForSampleSize). With replacement the fraction is a
 * Poisson mean, padded by 12, 9 or 6 standard deviations for small, medium and large samples;
 * without replacement it is a Bernstein-style upper bound on a binomial rate with δ = 1e-4, capped at 1.
 */
export function fractionForSampleSize(sampleSizeLowerBound: number, total: number, withReplacement: boolean): number {
  if (!(sampleSizeLowerBound >= 0 && sampleSizeLowerBound < Infinity)) {
    throw new ConfigError('num', `sample size must be a finite number >= 0, got ${sampleSizeLowerBound}`);
  }
  if (!(total > 0 && total < Infinity)) {
    throw new ConfigError('total', `total must be a positive count, got ${total}`);
  }
  if (withReplacement) {
    const s = sampleSizeLowerBound;
    const numStd = s < 6 ? 12 : s < 16 ? 9 : 6;
    return Math.max(s + numStd * Math.sqrt(s), 1e-10) / total;
  }
  const fraction = sampleSizeLowerBound / total;
  const gamma = -Math.log(1e-4) / total;
  return Math.min(1, Math.max(1e-10, fraction + gamma + Math.sqrt(gamma * gamma + 2 * gamma * fraction)));
}
