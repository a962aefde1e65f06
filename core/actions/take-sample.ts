/** `takeSample`: exactly `num` random elements (fewer when the RDD is smaller, without replacement). */
import { ConfigError } from '../errors.js';
import type { RDD } from '../rdd.js';
import { fractionForSampleSize, makeRng, shuffleInPlace } from '../sampling.js';
import { collect } from './collect.js';
import { count } from './count.js';

export async function takeSample<T>(rdd: RDD<T>, withReplacement: boolean, num: number, seed: number): Promise<T[]> {
  if (!Number.isInteger(num) || num < 0) throw new ConfigError('num', `takeSample: num must be a non-negative integer, got ${num}`);
  if (num === 0) return [];
  const total = await count(rdd as RDD<unknown>);
  if (total === 0) return [];
  const rng = makeRng(seed);
  if (!withReplacement && num >= total) return shuffleInPlace(await collect(rdd), rng);
  const fraction = fractionForSampleSize(num, total, withReplacement);
  let attempt = 0;
  let sample = await collect(rdd.sample(withReplacement, fraction, seed));
  while (sample.length < num && attempt < 100) {
    attempt++;
    sample = await collect(rdd.sample(withReplacement, fraction, seed + attempt * 7919));
  }
  return shuffleInPlace(sample, rng).slice(0, num);
}
