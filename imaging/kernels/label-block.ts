/**
 * Connected-component labeling of one block: a raster scan with union-find in the spirit of SAUF
 * (Wu, Otoo & Suzuki, "Optimizing two-pass connected-component labeling algorithms", Pattern Anal.
 * Appl. 2009), extended to 3D.
 *
 * Pass 1 visits voxels in raster order (z, then y, then x) and looks only at the neighbours already
 * visited — the half of the neighbourhood before the voxel (13 for 26-connectivity). Two visited
 * foreground voxels that are neighbours of each other were already joined when the later of them was
 * visited, so as in SAUF's decision tree most reads can be skipped:
 *   - when one neighbour is adjacent to all the others (the voxel below for 26, above for 8), a
 *     foreground one decides the label alone;
 *   - when the left neighbour is foreground, only the neighbours not adjacent to it are read (4 of 13
 *     for 26, 1 of 4 for 8).
 * Provisional labels live in a Uint32Array parent table; union keeps the smaller root and find
 * compresses paths, both iterative. Pass 2 flattens the table in label order and renumbers the roots
 * 1..n, which is the order of each component's first voxel, then rewrites the block: the numbering of
 * `scipy.ndimage.label`.
 */
import { ConfigError } from '../../core/index.js';
import { type Shape3, voxelCount } from '../volume.js';

/** Voxel connectivity: 4 or 8 in 2D, 6 (faces), 18 (+ edges) or 26 (+ corners) in 3D. */
export type Connectivity = 4 | 8 | 6 | 18 | 26;

/**
 * Connectivity -> the most axes one neighbour step may change (scipy's `generate_binary_structure(rank, c)`'s
 * c): 4 and 6 -> 1 (faces), 8 and 18 -> 2 (+ edges), 26 -> 3 (+ corners). The one table of it: the
 * TypeScript and native kernels, the boundary exchange and the propagate reference all read it.
 */
export const CONNECTIVITY_REACH: Readonly<Record<Connectivity, 1 | 2 | 3>> = { 4: 1, 6: 1, 8: 2, 18: 2, 26: 3 };

/**
 * The connectivity to use for a block of `shape`: 2D when `shape[0] === 1`, else 3D. Like scipy's
 * `generate_binary_structure(rank, c)`, a connectivity stands for c = the most axes a neighbour step may
 * change (4 and 6 → 1, 8 and 18 → 2, 26 → 3), clipped to the rank: in 2D 6 → 4 and 18, 26 → 8; in 3D
 * 4 → 6 and 8 → 18.
 */
export function normalizeConnectivity(shape: Shape3, connectivity: Connectivity): Connectivity {
  const c = CONNECTIVITY_REACH[connectivity];
  if (c === undefined) {
    throw new ConfigError('connectivity', `connectivity must be 4 or 8 (2D), 6, 18 or 26 (3D), got ${String(connectivity)}`);
  }
  if (shape[0] === 1) return c === 1 ? 4 : 8;
  return c === 1 ? 6 : c === 2 ? 18 : 26;
}

/** Length of the optional `scratch` parent table of `labelBlock` for a block of `shape`. */
export function labelScratchLength(shape: Shape3): number {
  // A new provisional label starts only where the left neighbour is background, so at most every other
  // voxel of a row: Z * Y * ceil(X / 2), plus the unused label 0.
  return shape[0] * shape[1] * Math.ceil(shape[2] / 2) + 1;
}

/**
 * Labels the foreground (`mask[i] !== 0`) of a C-order block of `shape` into `out`: components numbered
 * 1..n in raster order of their first voxel, background 0. Returns n. `scratch`, when given, must hold
 * `labelScratchLength(shape)` entries; otherwise the kernel allocates it.
 *
 * @example
 *   const mask = new Uint8Array([1, 0, 1, 1]); // shape [1, 1, 4]
 *   const labels = new Uint32Array(4);
 *   labelBlock(mask, [1, 1, 4], 4, labels); // 2, labels = [1, 0, 2, 2]
 */
export function labelBlock(mask: Uint8Array, shape: Shape3, connectivity: Connectivity, out: Uint32Array, scratch?: Uint32Array): number {
  const count = voxelCount(shape);
  if (!shape.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new ConfigError('shape', `labelBlock: shape must be three positive integers, got [${shape.join(', ')}]`);
  }
  if (mask.length < count || out.length < count) {
    throw new ConfigError(mask.length < count ? 'mask' : 'out', `labelBlock: mask (${mask.length}) and out (${out.length}) must hold shape [${shape.join(', ')}] = ${count} voxels`);
  }
  const tableLength = labelScratchLength(shape);
  if (tableLength > 0xffffffff) {
    throw new ConfigError('shape', `labelBlock: block [${shape.join(', ')}] is too large for 32-bit provisional labels; use smaller blocks`);
  }
  if (scratch !== undefined && scratch.length < tableLength) {
    throw new ConfigError('scratch', `labelBlock: scratch holds ${scratch.length} entries, needs labelScratchLength(shape) = ${tableLength}`);
  }
  const parent = scratch ?? new Uint32Array(tableLength);
  const provisional = scan(mask, shape, normalizeConnectivity(shape, connectivity), out, parent);
  return renumber(out, count, parent, provisional);
}

/**
 * The neighbourhood plan for one row: linear offsets of the visited neighbours that exist in this row
 * for the first, middle and last voxel of the row (x = 0 has no left, x = X - 1 no right neighbours), and
 * for the middle and last voxel when the left neighbour is foreground (only those not adjacent to it).
 */
interface RowPlan {
  readonly offsets: Int32Array; // five lists, each at a fixed stride of 13
  readonly lengths: Int32Array; // [first, middle, last, middleAfterLeft, lastAfterLeft]
}

const FIRST = 0;
const MIDDLE = 1;
const LAST = 2;
const MIDDLE_AFTER_LEFT = 3;
const LAST_AFTER_LEFT = 4;
const MAX_PRIOR = 13;

/** Pass 1: provisional labels into `out`, equivalences into `parent`. Returns the highest label used. */
function scan(mask: Uint8Array, shape: Shape3, connectivity: Connectivity, out: Uint32Array, parent: Uint32Array): number {
  const Z = shape[0];
  const Y = shape[1];
  const X = shape[2];
  const steps = CONNECTIVITY_REACH[connectivity];
  const prior = priorNeighbours(steps, Z === 1);
  // The neighbour adjacent to every other visited neighbour, if the connectivity has one.
  const central = steps === 3 ? [-1, 0, 0] : steps === 2 && Z === 1 ? [0, -1, 0] : null;
  const plan: RowPlan = { offsets: new Int32Array(5 * MAX_PRIOR), lengths: new Int32Array(5) };
  const offs = plan.offsets;
  const lens = plan.lengths;
  let next = 0;
  let planned = -1;
  for (let z = 0; z < Z; z++) {
    for (let y = 0; y < Y; y++) {
      // Which neighbours exist depends only on whether the row has a plane before it and rows around it.
      const where = (z > 0 ? 4 : 0) + (y > 0 ? 2 : 0) + (y < Y - 1 ? 1 : 0);
      if (where !== planned) planRow(prior, steps, central, z, y, Y, X, plan);
      planned = where;
      const centralOff = central !== null && z + central[0]! >= 0 && y + central[1]! >= 0 ? central[0]! * Y * X + central[1]! * X : 0;
      const rowBase = (z * Y + y) * X;
      for (let x = 0; x < X; x++) {
        const i = rowBase + x;
        if (mask[i] === 0) {
          out[i] = 0;
          continue;
        }
        let cur = 0;
        let list = -1;
        if (centralOff !== 0 && out[i + centralOff] !== 0) cur = out[i + centralOff]!;
        else if (x > 0 && out[i - 1] !== 0) {
          cur = out[i - 1]!;
          list = x < X - 1 ? MIDDLE_AFTER_LEFT : LAST_AFTER_LEFT;
        } else list = x === 0 ? FIRST : x < X - 1 ? MIDDLE : LAST;
        if (list >= 0) {
          // for each visited neighbour n: join its set with the current one.
          const base = list * MAX_PRIOR;
          const end = base + lens[list]!;
          for (let k = base; k < end; k++) {
            const n = out[i + offs[k]!]!;
            if (n !== 0 && n !== cur) cur = cur === 0 ? n : union(parent, cur, n);
          }
        }
        if (cur === 0) {
          cur = ++next;
          parent[cur] = cur;
        }
        out[i] = cur;
      }
    }
  }
  return next;
}

/** The visited half of the neighbourhood, as [dz, dy, dx] steps changing at most `steps` axes. */
function priorNeighbours(steps: number, flat: boolean): number[][] {
  const result: number[][] = [];
  for (let dz = -1; dz <= 0; dz++) {
    if (flat && dz !== 0) continue;
    for (let dy = -1; dy <= (dz < 0 ? 1 : 0); dy++) {
      for (let dx = -1; dx <= (dz < 0 || dy < 0 ? 1 : -1); dx++) {
        const changed = (dz !== 0 ? 1 : 0) + (dy !== 0 ? 1 : 0) + (dx !== 0 ? 1 : 0);
        if (changed >= 1 && changed <= steps) result.push([dz, dy, dx]);
      }
    }
  }
  return result;
}

/**
 * Fills the five neighbour lists of row (z, y) with the steps that stay inside the block. The left
 * neighbour and the central one are left out: a list is only read after both were found background.
 */
function planRow(prior: number[][], steps: number, central: number[] | null, z: number, y: number, Y: number, X: number, plan: RowPlan): void {
  plan.lengths.fill(0);
  for (const [dz, dy, dx] of prior as [number, number, number][]) {
    if (z + dz < 0 || y + dy < 0 || y + dy >= Y) continue;
    if (dz === 0 && dy === 0) continue;
    if (central !== null && dz === central[0] && dy === central[1] && dx === central[2]) continue;
    const off = dz * Y * X + dy * X + dx;
    // Seen from the left neighbour (0, 0, -1) this step is (dz, dy, dx + 1).
    const changed = (dz !== 0 ? 1 : 0) + (dy !== 0 ? 1 : 0) + (dx + 1 !== 0 ? 1 : 0);
    const besideLeft = dx + 1 <= 1 && changed <= steps;
    if (dx === 0 || (dx === 1 && X > 1)) push(plan, FIRST, off);
    push(plan, MIDDLE, off);
    if (dx !== 1) push(plan, LAST, off);
    if (!besideLeft) push(plan, MIDDLE_AFTER_LEFT, off);
    if (!besideLeft && dx !== 1) push(plan, LAST_AFTER_LEFT, off);
  }
}

function push(plan: RowPlan, list: number, off: number): void {
  const n = plan.lengths[list]!;
  plan.offsets[list * MAX_PRIOR + n] = off;
  plan.lengths[list] = n + 1;
}

function findRoot(parent: Uint32Array, label: number): number {
  let root = label;
  while (parent[root] !== root) root = parent[root]!;
  while (parent[label] !== root) {
    const up = parent[label]!;
    parent[label] = root;
    label = up;
  }
  return root;
}

/** Joins the sets of `a` and `b` under the smaller root, and returns it. */
function union(parent: Uint32Array, a: number, b: number): number {
  const ra = findRoot(parent, a);
  const rb = findRoot(parent, b);
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}

/**
 * Pass 2. Every parent is smaller than its child (new labels point to themselves, unions hang the larger
 * root under the smaller), so one ascending sweep sees each parent final before its children: roots get
 * 1, 2, ... in order of their provisional label, which is the raster order of each component's first
 * voxel. Then the block is rewritten through the table.
 */
function renumber(out: Uint32Array, count: number, parent: Uint32Array, provisional: number): number {
  let n = 0;
  for (let label = 1; label <= provisional; label++) {
    const p = parent[label]!;
    parent[label] = p === label ? ++n : parent[p]!;
  }
  for (let i = 0; i < count; i++) {
    const l = out[i]!;
    if (l !== 0) out[i] = parent[l]!;
  }
  return n;
}
