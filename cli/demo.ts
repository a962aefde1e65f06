/**
 * `voxelflow demo`: the key-value model end to end on a synthetic volume. Voxels are `[[x, y, z], v]`
 * pairs generated per partition (no input file), thresholded with filter, counted per slice with
 * reduceByKey, and smoothed with the Spark Imaging Layer's box filter: every voxel spreads v/27 to
 * its 27 neighbours (flatMap) and reduceByKey sums what each position received.
 */
import { parseArgs } from 'node:util';
import { Context } from '../core/index.js';
import { usage, UsageError } from './usage-error.js';

const HELP = `usage: voxelflow demo [--master local[*]] [--size 40] [--threshold 0.5]

Generates a size^3 phantom of bright blobs in noise, thresholds it, counts
foreground voxels per slice, and runs a 3x3x3 key-value box filter.

  --master     'local' (inline), 'local[N]' or 'local[*]' (default local[*])
  --size       edge length in voxels, 8..200 (default 40)
  --threshold  foreground where value > threshold (default 0.5)`;

export async function runDemo(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        master: { type: 'string', default: 'local[*]' },
        size: { type: 'string', default: '40' },
        threshold: { type: 'string', default: '0.5' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw usage(err, 'demo');
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const size = Number(values.size);
  if (!Number.isInteger(size) || size < 8 || size > 200) throw new UsageError(`--size must be an integer in 8..200, got '${values.size}'`);
  const threshold = Number(values.threshold);
  if (!Number.isFinite(threshold)) throw new UsageError(`--threshold must be a number, got '${values.threshold}'`);

  const ctx = await Context.create({ master: values.master });
  let tasks = 0;
  ctx.on('taskEnd', (e) => void (e.status === 'success' && tasks++));
  const t0 = performance.now();
  try {
    const voxels = ctx
      .range(0, size ** 3, 1, Math.max(4, ctx.defaultParallelism * 2))
      .map(
        (i, env) => {
          const n = env.n;
          const x = i % n;
          const y = Math.floor(i / n) % n;
          const z = Math.floor(i / (n * n));
          let v = 0.15 * (((i * 2654435761) >>> 0) / 4294967296); // deterministic noise
          for (const [cx, cy, cz, r] of env.blobs) {
            const d2 = (x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2;
            if (d2 < r * r) v += 0.8 * (1 - d2 / (r * r)) + 0.2;
          }
          return [[x, y, z], v] as [number[], number];
        },
        { n: size, blobs: blobs(size) },
      )
      .cache();
    const foreground = voxels.filter(([, v], env) => v > env.t, { t: threshold });
    const total = await voxels.count();
    const fg = await foreground.count();
    const perSlice = await foreground
      .map(([p]) => [p[2], 1] as [number, number])
      .reduceByKey((a, b) => a + b)
      .sortByKey()
      .collect();
    const smoothed = voxels
      .flatMap(([p, v], env) => {
        const out: [number[], number][] = [];
        const [x, y, z] = p as [number, number, number];
        for (let dz = -1; dz <= 1; dz++)
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const q = [x + dx, y + dy, z + dz];
              if (q.every((c) => c >= 0 && c < env.n)) out.push([q, v / 27]);
            }
        return out;
      }, { n: size })
      .reduceByKey((a, b) => a + b)
      .values();
    const stats = await smoothed.stats();
    const busiest = perSlice.reduce((best, s) => (s[1] > best[1] ? s : best), [0, 0] as [number, number]);
    const seconds = (performance.now() - t0) / 1000;

    console.log(`voxelflow demo on ${ctx.master} (${ctx.defaultParallelism} thread(s))`);
    console.log(`  volume           ${size}^3 = ${total.toLocaleString('en-US')} voxels as [[x, y, z], value] pairs`);
    console.log(`  threshold > ${threshold}  ${fg.toLocaleString('en-US')} foreground voxels (${((100 * fg) / total).toFixed(2)}%)`);
    console.log(`  slices with fg   ${perSlice.length} of ${size}; busiest z = ${busiest[0]} (${busiest[1]} voxels)`);
    console.log(`  box filter 3^3   mean ${stats.mean.toFixed(4)}, max ${stats.max.toFixed(4)} over ${stats.count.toLocaleString('en-US')} voxels`);
    console.log(`  ran ${tasks} tasks in ${seconds.toFixed(2)} s`);
    console.log('  lineage of the threshold step:');
    for (const line of foreground.toDebugString().split('\n')) console.log(`    ${line}`);
    return 0;
  } finally {
    await ctx.stop();
  }
}

/** A few deterministic blobs scaled to the volume. */
function blobs(n: number): [number, number, number, number][] {
  return [
    [0.3 * n, 0.35 * n, 0.4 * n, 0.18 * n],
    [0.7 * n, 0.6 * n, 0.55 * n, 0.14 * n],
    [0.5 * n, 0.75 * n, 0.25 * n, 0.1 * n],
  ];
}
