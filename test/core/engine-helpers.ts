/**
 * Helpers shared by the engine-machinery tests (faults, spill, recovery, speculation, shared
 * variables, closures, events, context): start and always stop a context, record events, list files.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'vitest';

import { Context, compareKeys, type ContextOptions, type EventOf, type EventType } from '../../core/index.js';

/** The inline master and a worker-thread master: behaviour must not depend on which runs. */
export const MASTERS = ['local', 'local[2]'] as const;

/** Runs `body` with a fresh context and stops it afterwards, whether `body` passed or threw. */
export async function withContext<R>(options: ContextOptions, body: (ctx: Context) => Promise<R>): Promise<R> {
  const ctx = await Context.create(options);
  try {
    return await body(ctx);
  } finally {
    await ctx.stop();
  }
}

/** Collects every event of the given types, in posting order, into the returned (live) array. */
export function recordEvents<K extends EventType>(ctx: Context, ...types: K[]): EventOf<K>[] {
  const seen: EventOf<K>[] = [];
  for (const type of types) ctx.on(type, (e) => void seen.push(e as EventOf<K>));
  return seen;
}

/** Resolves to what `promise` rejected with; fails the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return err as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** A fresh, empty temporary folder. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `voxelflow-test-${label}-`));
}

/** Paths of the plain files anywhere under `dir`. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

/** Sorted copy (structural key order), for comparing collections whose order the engine does not define. */
export function sorted<T>(xs: readonly T[]): T[] {
  return xs.slice().sort(compareKeys);
}
