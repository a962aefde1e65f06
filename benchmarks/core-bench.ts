/**
 * Issue 2 benchmarks: reduceByKey throughput against a plain Map loop, per-task overhead, and the
 * original Spark Imaging Layer's key-value box filter (flatMap to 27 neighbours + reduceByKey).
 */
import { Context } from '../core/index.js';
import { median, type BenchRow } from './harness.js';

const PAIRS = 10_000_000;
const KEYS = 100_000;
const TASKS = 10_000;
const SIDE = 100;

/** The same pairs the engine sees: key = a scrambled int in [0, KEYS), value = i / 2. */
function mapLoop(): number {
  const m = new Map<number, number>();
  for (let i = 0; i < PAIRS; i++) {
    const k = ((i * 2654435761) >>> 0) % KEYS;
    m.set(k, (m.get(k) ?? 0) + i * 0.5);
  }
  return m.size;
}

async function reduceByKeyOn(master: string, runs: number): Promise<number> {
  const ctx = await Context.create({ master });
  try {
    return await median(async () => {
      const n = await ctx
        .range(0, PAIRS, 1, 8)
        .map((i) => [((i * 2654435761) >>> 0) % 100_000, i * 0.5] as [number, number])
        .reduceByKey((a, b) => a + b)
        .count();
      if (n !== KEYS) throw new Error(`reduceByKey benchmark produced ${n} keys, expected ${KEYS}`);
    }, runs, 1);
  } finally {
    await ctx.stop();
  }
}

async function taskRate(master: string): Promise<number> {
  const ctx = await Context.create({ master });
  try {
    await ctx.range(0, 100, 1, 100).count();
    return await median(() => ctx.range(0, TASKS, 1, TASKS).count(), 3);
  } finally {
    await ctx.stop();
  }
}

/** Dense reference: the same 3x3x3 constant-zero box sum as plain loops over a Float64Array. */
function denseBoxSum(vol: Float64Array): number {
  const out = new Float64Array(vol.length);
  const n = SIDE;
  for (let z = 0; z < n; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        let s = 0;
        for (let dz = -1; dz <= 1; dz++)
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const xx = x + dx, yy = y + dy, zz = z + dz;
              if (xx >= 0 && yy >= 0 && zz >= 0 && xx < n && yy < n && zz < n) s += vol[(zz * n + yy) * n + xx] as number;
            }
        out[(z * n + y) * n + x] = s / 27;
      }
  return out.length;
}

async function keyValueBoxFilter(): Promise<{ ms: number; voxels: number }> {
  const ctx = await Context.create({ master: 'local[2]' });
  try {
    let voxels = 0;
    const ms = await median(async () => {
      voxels = await ctx
        .range(0, SIDE * SIDE * SIDE, 1, 16)
        .map((i, env) => {
          const x = i % env.n, y = Math.floor(i / env.n) % env.n, z = Math.floor(i / (env.n * env.n));
          return [[x, y, z], ((x * 7 + y * 13 + z * 29) % 255) / 255] as [number[], number];
        }, { n: SIDE })
        .flatMap(([[x, y, z], v], env) => {
          const out: [number[], number][] = [];
          for (let dz = -1; dz <= 1; dz++)
            for (let dy = -1; dy <= 1; dy++)
              for (let dx = -1; dx <= 1; dx++) {
                const xx = (x as number) + dx, yy = (y as number) + dy, zz = (z as number) + dz;
                if (xx >= 0 && yy >= 0 && zz >= 0 && xx < env.n && yy < env.n && zz < env.n) out.push([[xx, yy, zz], v / 27]);
              }
          return out;
        }, { n: SIDE })
        .reduceByKey((a, b) => a + b)
        .count();
    }, 1);
    return { ms, voxels };
  } finally {
    await ctx.stop();
  }
}

export async function coreBenchmarks(log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  log('reduceByKey: plain Map loop baseline ...');
  const base = await median(mapLoop, 3, 1);
  for (const master of ['local[1]', 'local[2]']) {
    log(`reduceByKey on ${master} ...`);
    const ms = await reduceByKeyOn(master, 3);
    rows.push({
      suite: 'core',
      name: `reduceByKey 10M [int, number] pairs, 100k keys, ${master}`,
      ms,
      baselineMs: base,
      baseline: 'Map loop, 1 thread',
      target: master === 'local[2]' ? '<= 2x baseline' : 'reported',
      met: master === 'local[2]' ? ms <= 2 * base : true,
    });
  }
  for (const master of ['local', 'local[2]']) {
    log(`task overhead on ${master} ...`);
    const ms = await taskRate(master);
    const rate = (TASKS / ms) * 1000;
    rows.push({
      suite: 'core',
      name: `${TASKS.toLocaleString('en-US')} empty tasks, ${master}`,
      ms,
      baselineMs: null,
      baseline: 'absolute',
      value: { amount: rate, unit: 'tasks/s' },
      target: '>= 5,000 tasks/s',
      met: rate >= 5000,
    });
  }
  log('key-value box filter 100^3 on local[2] ...');
  const vol = new Float64Array(SIDE ** 3).map((_, i) => i % 255);
  const dense = await median(() => denseBoxSum(vol), 3);
  const kv = await keyValueBoxFilter();
  rows.push({
    suite: 'core',
    name: 'key-value box filter 100^3 (27M tuples), local[2]',
    ms: kv.ms,
    baselineMs: dense,
    baseline: 'dense TS loop, 1 thread',
    value: { amount: (kv.voxels / kv.ms) * 1000, unit: 'voxels/s' },
    target: '< 30 s',
    met: kv.ms < 30_000 && kv.voxels === SIDE ** 3,
  });
  return rows;
}
