/**
 * Plain-array models and fixtures for the RDD property tests: one Context per master per file,
 * small arbitraries (structural keys included), and multiset comparisons for results whose order
 * Spark leaves undefined.
 *
 * @example
 *   forMasters((ctx) => {
 *     it('map keeps order', () =>
 *       check(fc.asyncProperty(ints, parts, async (xs, n) => {
 *         expect(await ctx().parallelize(xs, n).map((x) => x + 1).collect()).toEqual(xs.map((x) => x + 1));
 *       })));
 *   });
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect } from 'vitest';

import { Context, type ContextOptions } from '../../core/index.js';

/** The masters every RDD property runs on: inline, and two worker threads (functions shipped as source). */
export const MASTERS = ['local', 'local[2]'] as const;
export type Master = (typeof MASTERS)[number];

/**
 * Declares one `describe` per master, with a Context created once before its tests and stopped
 * after them. `body` registers the tests; `ctx()` returns the live context inside them.
 */
export function forMasters(body: (ctx: () => Context, master: Master) => void, options: () => ContextOptions = () => ({})): void {
  describe.each(MASTERS)('master %s', (master) => {
    let context: Context | null = null;
    beforeAll(async () => {
      context = await Context.create({ ...options(), master });
    });
    afterAll(async () => {
      await context?.stop();
    });
    body(() => {
      if (context === null) throw new Error('the test context is not started');
      return context;
    }, master);
  });
}

/** Multiplies every property's run count, for a deeper run: `VOXELFLOW_PROPERTY_SCALE=10 npx vitest run`. */
const SCALE = Math.max(1, Number(process.env['VOXELFLOW_PROPERTY_SCALE'] ?? 1) || 1);

/** Runs a property (async or not) with the suite's run count (worker-thread jobs cost milliseconds each). */
export async function check<Ts extends [unknown, ...unknown[]]>(property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>, numRuns = 25): Promise<void> {
  await fc.assert(property, { numRuns: Math.round(numRuns * SCALE) });
}

// ---- arbitraries -------------------------------------------------------------------------------

/** Partition counts the properties run on. */
export const parts = fc.integer({ min: 1, max: 8 });

/** Small integer arrays (duplicates likely). */
export const ints = fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 40 });

/** Structural keys from a small universe, so that keys collide often. */
export type Key = number | string | boolean | null | number[] | [number[], string] | { x: number };
export const key: fc.Arbitrary<Key> = fc.oneof(
  fc.integer({ min: 0, max: 4 }),
  fc.constantFrom('a', 'b', 'é', '', null, true, false, 2.5),
  fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
  fc.tuple(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })), fc.constantFrom('p', 'q')),
  fc.record({ x: fc.integer({ min: 0, max: 1 }) }),
);

/** `[key, value]` pairs with structural keys. */
export const pairs = fc.array(fc.tuple(key, fc.integer({ min: -9, max: 9 })), { maxLength: 30 });

// ---- models ------------------------------------------------------------------------------------

/**
 * A canonical text of a value, for multiset comparison. The arbitraries above produce no -0, NaN,
 * undefined or objects with varying property order, so JSON is injective on them.
 */
export function canon(x: unknown): string {
  return JSON.stringify(x);
}

/** A copy of `xs` in a fixed order that depends only on the values. */
export function sortedCopy<T>(xs: readonly T[]): T[] {
  return xs
    .map((x) => [canon(x), x] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((e) => e[1]);
}

/** Asserts that `actual` and `expected` hold the same elements with the same multiplicities. */
export function expectSameMultiset(actual: readonly unknown[], expected: readonly unknown[]): void {
  expect(sortedCopy(actual)).toEqual(sortedCopy(expected));
}

/** Groups pairs by key (structural), keeping first-seen key order and value order. */
export function groupModel<K, V>(kvs: readonly (readonly [K, V])[]): [K, V[]][] {
  const groups = new Map<string, [K, V[]]>();
  for (const [k, v] of kvs) {
    const id = canon(k);
    const g = groups.get(id);
    if (g === undefined) groups.set(id, [k, [v]]);
    else g[1].push(v);
  }
  return [...groups.values()];
}

/** Distinct values, first occurrence kept. */
export function distinctModel<T>(xs: readonly T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const id = canon(x);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Sorts the value lists of grouped results so groups compare as multisets. */
export function normalizeGroups<K, V>(groups: readonly (readonly [K, readonly V[]])[]): [K, V[]][] {
  return groups.map(([k, vs]) => [k, sortedCopy(vs)]);
}

/** Spark's ParallelCollectionRDD slicing: `n` contiguous slices of nearly equal size. */
export function slicesModel<T>(xs: readonly T[], n: number): T[][] {
  return Array.from({ length: n }, (_, i) => xs.slice(Math.floor((i * xs.length) / n), Math.floor(((i + 1) * xs.length) / n)));
}

/** Sum with the same left-to-right order as a sequential loop. */
export function sumModel(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
