/**
 * 2D views of an image, computed where the blocks are: a slice (one plane across an axis) or a maximum
 * intensity projection along an axis. Each block contributes its piece of the plane; the driver only
 * pastes pieces, so a 512^3 image sends one 512^2 plane, not the volume. A slice only runs the blocks
 * that cut the plane.
 *
 * Plane orientation: across z, rows are y and columns x (as one looks at a stack slice); across y,
 * rows are z and columns x; across x, rows are z and columns y.
 */
import { ConfigError, namedFunction, type RDD } from '../../core/index.js';
import { blockBox, blockCount, makeGrid } from '../block-grid.js';
import type { Block, ImageMeta } from '../block.js';
import { allocate, dtypeOf, type TypedArray } from '../dtype.js';

/** An axis by name, or as an index of `[z, y, x]`. */
export type Axis = 'z' | 'y' | 'x';

const AXES: Readonly<Record<Axis, 0 | 1 | 2>> = { z: 0, y: 1, x: 2 };

/** One block's part of a plane: `rows x cols` values at `(row0, col0)`, C-order. */
interface PlanePiece {
  readonly row0: number;
  readonly col0: number;
  readonly rows: number;
  readonly cols: number;
  readonly data: TypedArray;
}

/** A plane of an image, `rows x cols`, with the image's dtype. */
export interface Plane {
  readonly data: TypedArray;
  readonly rows: number;
  readonly cols: number;
}

/** The two in-plane axes (row axis, column axis) of a plane across `axis`. */
function inPlane(axis: 0 | 1 | 2): [0 | 1 | 2, 0 | 1 | 2] {
  return axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
}

/**
 * Per block: its piece of the plane across `axis` at `index` (a slice), or with `index` null the maximum
 * over the block's extent along `axis` (a piece of the projection). NaN never wins a maximum unless
 * every value along the line is NaN.
 */
export const blockPlanes = namedFunction(
  'imaging.blockPlanes',
  (blocks: Iterable<Block>, env: { readonly axis: 0 | 1 | 2; readonly index: number | null }): PlanePiece[] => {
    const out: PlanePiece[] = [];
    const { axis, index } = env;
    const [ra, ca] = inPlane(axis);
    for (const b of blocks) {
      const lo = b.origin[axis];
      const hi = lo + b.shape[axis];
      if (index !== null && (index < lo || index >= hi)) continue;
      const rows = b.shape[ra];
      const cols = b.shape[ca];
      const strides = [b.shape[1] * b.shape[2], b.shape[2], 1];
      const sr = strides[ra]!, sc = strides[ca]!, sa = strides[axis]!;
      const data = allocate(dtypeOf(b.data) ?? 'f64', rows * cols);
      const first = index === null ? 0 : index - lo;
      const last = index === null ? b.shape[axis] - 1 : first;
      const src = b.data;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          let p = r * sr + c * sc + first * sa;
          let m = src[p] as number;
          for (let k = first + 1; k <= last; k++) {
            p += sa;
            const v = src[p] as number;
            if (v > m || m !== m) m = v;
          }
          data[r * cols + c] = m;
        }
      }
      out.push({ row0: b.origin[ra], col0: b.origin[ca], rows, cols, data });
    }
    return out;
  },
  import.meta.url,
);

/** Checks an axis name; throws naming the option otherwise. */
export function axisIndex(axis: Axis): 0 | 1 | 2 {
  const a = AXES[axis];
  if (a === undefined) throw new ConfigError('axis', `axis must be 'z', 'y' or 'x', got ${JSON.stringify(axis)}`);
  return a;
}

/** The plane across `axis` at `index` (or the maximum projection when `index` is null), on the driver. */
export async function plane(blocks: RDD<Block>, meta: ImageMeta, axis: Axis, index: number | null): Promise<Plane> {
  const a = axisIndex(axis);
  const extent = meta.shape[a];
  if (index !== null && (!Number.isInteger(index) || index < 0 || index >= extent)) {
    throw new ConfigError('index', `slice index ${index} is outside the image: ${axis} runs from 0 to ${extent - 1}`);
  }
  const [ra, ca] = inPlane(a);
  const rows = meta.shape[ra];
  const cols = meta.shape[ca];
  const grid = makeGrid(meta.shape, meta.blockShape);
  const partitions: number[] = [];
  for (let i = 0; i < blockCount(grid); i++) {
    const box = blockBox(grid, i);
    if (index === null || (index >= box.origin[a] && index < box.origin[a] + box.shape[a])) partitions.push(i);
  }
  const pieces = blocks.mapPartitions(blockPlanes, { axis: a, index });
  const parts = await blocks.context.runJob<PlanePiece[]>(pieces as RDD<unknown>, { op: 'collect' }, { partitions });
  const data = allocate(meta.dtype, rows * cols);
  // A slice gets each pixel from exactly one block; a projection takes the maximum over the blocks along the axis.
  const seen = index === null ? new Uint8Array(rows * cols) : null;
  for (const part of parts) {
    for (const p of part) {
      for (let r = 0; r < p.rows; r++) {
        const src = p.data.subarray(r * p.cols, (r + 1) * p.cols);
        const at = (p.row0 + r) * cols + p.col0;
        if (seen === null) {
          data.set(src, at);
          continue;
        }
        for (let c = 0; c < p.cols; c++) {
          const v = src[c] as number;
          const m = data[at + c] as number;
          if (seen[at + c] === 0 || v > m || m !== m) data[at + c] = v;
          seen[at + c] = 1;
        }
      }
    }
  }
  return { data, rows, cols };
}
