/**
 * A region of interest as a filter on voxel coordinates — the Spark Imaging Layer's formulation.
 *
 * Keep the voxels `[[x, y, z], v]` with `min <= [x, y, z] < max`, shift them so that `min` becomes the
 * origin, and rebuild an image of the box's size with `ImageRDD.fromVoxels`. The operator
 * `img.roi(min, max)` computes the same crop, and reads only the blocks the box touches (the filter
 * here visits every voxel of the image).
 *
 *   npm run build
 *   node examples/roi-by-filter.mjs [--shape 32,32,32] [--roi 4,8,2,20,24,30] [--json]
 *
 * --roi x0,y0,z0,x1,y1,z1 is the half-open box [x0, x1) x [y0, y1) x [z0, z1); the default is the
 * central half of each axis. Common flags: see threshold-by-filter.mjs.
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
    roi: { type: 'string' },
  },
});
const shape = opt.shape.split(',').map(Number);
const extent = [shape[2], shape[1], shape[0]]; // [x, y, z]
const box = opt.roi ? opt.roi.split(',').map(Number) : [...extent.map((n) => n >> 2), ...extent.map((n) => n - (n >> 2))];
const min = box.slice(0, 3);
const max = box.slice(3, 6);
if (box.length !== 6 || min.some((lo, a) => !(Number.isInteger(lo) && Number.isInteger(max[a]) && lo >= 0 && lo < max[a] && max[a] <= extent[a]))) {
  console.error(`--roi must be x0,y0,z0,x1,y1,z1 with 0 <= min < max <= ${extent.join(',')} (the image as x,y,z), got ${opt.roi}`);
  process.exit(2);
}

const ctx = await Context.create({ master: opt.master });
try {
  const img = ctx.images.synthetic({
    kind: 'blobs',
    shape,
    seed: Number(opt.seed),
    ...(opt.block ? { blockShape: opt.block.split(',').map(Number) } : {}),
  });
  const inside = img
    .voxels()
    .filter(([p], env) => p.every((c, a) => c >= env.min[a] && c < env.max[a]), { min, max })
    .map(([p, v], env) => [p.map((c, a) => c - env.min[a]), v], { min });
  const cropShape = [max[2] - min[2], max[1] - min[1], max[0] - min[0]]; // [z, y, x]
  const crop = ImageRDD.fromVoxels(inside, cropShape, img.dtype);
  const { data } = await crop.toArray();
  if (opt.json) {
    console.log(JSON.stringify({ shape: crop.shape, dtype: crop.dtype, data: Array.from(data) }));
  } else {
    const mean = data.reduce((s, v) => s + v, 0) / data.length;
    console.log(`ROI x [${min[0]}, ${max[0]}), y [${min[1]}, ${max[1]}), z [${min[2]}, ${max[2]}) of a ${shape.join('x')} (z,y,x) blobs phantom`);
    console.log(`  cropped to ${cropShape.join('x')} (z,y,x) = ${data.length} voxels, mean value ${mean.toFixed(2)}`);
  }
} finally {
  await ctx.stop();
}
