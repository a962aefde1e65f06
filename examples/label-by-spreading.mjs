/**
 * Connected-component labeling by iterative min-label spreading — the Spark Imaging Layer's original
 * algorithm on key-value voxels.
 *
 * 1. Threshold: the foreground voxels `[[x, y, z], v]` with `v > above`. Each starts with its own
 *    label, its raster-order index `(z * Y + y) * X + x`, so a component's smallest label is its first
 *    voxel in raster order.
 * 2. Repeat until no label changes: every voxel sends its label to itself and its neighbours
 *    (`flatMap`), each position keeps the smallest label it received (`reduceByKey`), and a `join`
 *    with the current labels keeps foreground positions only.
 * 3. Renumber: the surviving labels, sorted, become 1..N (`distinct`, `sortBy`, `zipWithIndex`,
 *    `join`) — components numbered in raster order of their first voxel, as scipy.ndimage.label and
 *    `img.threshold({ above }).labelComponents({ connectivity })` number them.
 * The number of rounds grows with the longest path inside a component; the operator's block algorithm
 * needs none of them.
 *
 *   npm run build
 *   node examples/label-by-spreading.mjs [--shape 32,32,32] [--above 300] [--connectivity 26] [--json]
 *
 * --connectivity 6 (faces), 18 (+ edges) or 26 (+ corners). Common flags: see threshold-by-filter.mjs.
 */
// Inside this repository 'voxelflow' resolves to the package itself (Node's package self-reference
// through the "exports" map of ../package.json, i.e. ../dist/index.js: run `npm run build` first).
import { parseArgs } from 'node:util';
import { Context, ImageRDD } from 'voxelflow';

const { values: opt } = parseArgs({
  options: {
    shape: { type: 'string', default: '32,32,32' },
    seed: { type: 'string', default: '1' },
    block: { type: 'string' },
    master: { type: 'string', default: 'local[2]' },
    json: { type: 'boolean', default: false },
    above: { type: 'string', default: '300' },
    connectivity: { type: 'string', default: '26' },
  },
});
const shape = opt.shape.split(',').map(Number);
const above = Number(opt.above);
const connectivity = Number(opt.connectivity);
// 6, 18, 26: a neighbour step changes at most 1, 2 or 3 coordinates.
const maxAxes = { 6: 1, 18: 2, 26: 3 }[connectivity];
if (maxAxes === undefined) {
  console.error(`--connectivity must be 6, 18 or 26, got ${opt.connectivity}`);
  process.exit(2);
}
const offsets = [];
for (let dz = -1; dz <= 1; dz++)
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const axes = (dx !== 0) + (dy !== 0) + (dz !== 0);
      if (axes > 0 && axes <= maxAxes) offsets.push([dx, dy, dz]);
    }

const ctx = await Context.create({ master: opt.master });
try {
  const img = ctx.images.synthetic({
    kind: 'blobs',
    shape,
    seed: Number(opt.seed),
    ...(opt.block ? { blockShape: opt.block.split(',').map(Number) } : {}),
  });
  const [Z, Y, X] = img.shape;
  const env = { X, Y, Z, offsets, above };

  let labels = img
    .voxels()
    .filter(([, v], e) => v > e.above, env)
    .map(([[x, y, z]], e) => [[x, y, z], (z * e.Y + y) * e.X + x], env)
    .cache();
  let cached = labels; // the one RDD of the loop kept in memory
  let rounds = 0;
  for (let changed = -1; changed !== 0; rounds++) {
    const received = labels
      .flatMap(([[x, y, z], l], e) => {
        const out = [[[x, y, z], l]];
        for (const [dx, dy, dz] of e.offsets) {
          const nx = x + dx, ny = y + dy, nz = z + dz;
          if (nx >= 0 && ny >= 0 && nz >= 0 && nx < e.X && ny < e.Y && nz < e.Z) out.push([[nx, ny, nz], l]);
        }
        return out;
      }, env)
      .reduceByKey((a, b) => Math.min(a, b));
    // [position, [label, smallest label received]], foreground positions only.
    const step = labels.join(received).cache();
    changed = await step.filter(([, [l, m]]) => m < l).count();
    labels = step.mapValues(([l, m]) => Math.min(l, m));
    cached.unpersist(); // `step` now holds everything the next round reads
    cached = step;
  }

  const ranks = labels
    .values()
    .distinct()
    .sortBy((l) => l)
    .zipWithIndex()
    .map(([l, i]) => [l, i + 1]);
  const numbered = labels
    .map(([p, l]) => [l, p])
    .join(ranks)
    .map(([, [p, n]]) => [p, n]);
  const labeled = ImageRDD.fromVoxels(numbered, img.shape, 'u32');
  const { data } = await labeled.toArray();
  const count = await ranks.count();
  if (opt.json) {
    console.log(JSON.stringify({ shape: labeled.shape, dtype: 'u32', components: count, rounds, data: Array.from(data) }));
  } else {
    const sizes = new Array(count + 1).fill(0);
    for (const l of data) sizes[l]++;
    const largest = sizes.slice(1).map((n, i) => [i + 1, n]).sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(`labeling of v > ${above} on a ${shape.join('x')} (z,y,x) blobs phantom, ${connectivity}-connected`);
    console.log(`  ${count} components after ${rounds} rounds of spreading; largest (label: voxels): ${largest.map(([l, n]) => `${l}: ${n}`).join(', ')}`);
  }
} finally {
  await ctx.stop();
}
