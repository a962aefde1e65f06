/**
 * A 3x3x3 box (mean) filter by spreading — the Spark Imaging Layer's formulation.
 *
 * Every voxel `[[x, y, z], v]` sends `v / 27` to each of its 27 neighbours (itself included) with
 * `flatMap`, and `reduceByKey` sums what each position received. Neighbours outside the image are
 * dropped, so the border sees zeros there: scipy.ndimage.uniform_filter's mode 'constant' (cval 0),
 * which is what `img.boxFilter(1)` computes with separable running sums on dense blocks. The key-value
 * version moves 27 tuples per voxel through a shuffle; the operator moves none.
 *
 *   npm run build
 *   node examples/box-filter-by-spread.mjs [--shape 32,32,32] [--json]
 *
 * Common flags: see threshold-by-filter.mjs.
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
  },
});
const shape = opt.shape.split(',').map(Number);

const ctx = await Context.create({ master: opt.master });
try {
  const img = ctx.images.synthetic({
    kind: 'blobs',
    shape,
    seed: Number(opt.seed),
    ...(opt.block ? { blockShape: opt.block.split(',').map(Number) } : {}),
  });
  const [Z, Y, X] = img.shape;
  const sums = img
    .voxels()
    .flatMap(([[x, y, z], v], env) => {
      const out = [];
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx, ny = y + dy, nz = z + dz;
            if (nx >= 0 && ny >= 0 && nz >= 0 && nx < env.X && ny < env.Y && nz < env.Z) out.push([[nx, ny, nz], v / 27]);
          }
      return out;
    }, { X, Y, Z })
    .reduceByKey((a, b) => a + b);
  const filtered = ImageRDD.fromVoxels(sums, img.shape, 'f32');
  const { data } = await filtered.toArray();
  if (opt.json) {
    console.log(JSON.stringify({ shape: filtered.shape, dtype: 'f32', data: Array.from(data) }));
  } else {
    let max = -Infinity;
    let total = 0;
    for (const v of data) {
      total += v;
      if (v > max) max = v;
    }
    console.log(`3x3x3 box filter by spreading on a ${shape.join('x')} (z,y,x) blobs phantom (${data.length * 27} tuples at most)`);
    console.log(`  mean ${(total / data.length).toFixed(3)}, max ${max.toFixed(3)}`);
  }
} finally {
  await ctx.stop();
}
