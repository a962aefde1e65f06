/**
 * The map side of `repartition`: each record keyed by the partition it goes to, dealt round robin
 * so that every output partition gets an equal share. Shipped to workers by name.
 */
import { namedFunction } from './registry.js';

/**
 * Input partition i starts dealing at target (i * START_STRIDE) mod n, so that the first records of
 * every partition do not all land in partition 0 (Spark starts at a random target seeded by i). A
 * prime, so that it spreads the starts for any n it does not divide.
 */
export const START_STRIDE = 7919;

/** Keys each record of partition `index` with its target partition among `env.n`. */
export const dealRoundRobin = namedFunction(
  'core.dealRoundRobin',
  function* dealRoundRobin<T>(index: number, it: Iterable<T>, env: { readonly n: number }): Generator<[number, T]> {
    let target = (index * START_STRIDE) % env.n;
    for (const x of it) {
      yield [target, x];
      target = target + 1 === env.n ? 0 : target + 1;
    }
  },
  import.meta.url,
);
