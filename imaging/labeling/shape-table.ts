/**
 * The statistics of every component as the driver holds them: merged partial rows in typed-array
 * batches (one per statistics partition, labels lo..lo+k-1), not one object per label. Ten million
 * components are 1.4 GB of float64 rows here; as ShapeRow objects (five arrays each) they did not fit
 * a 4 GB JavaScript heap. Rows become ShapeRow objects only one at a time, as they are read.
 */
import { ConfigError } from '../../core/index.js';
import { F, ROW, shapeRow, type ShapeRow } from './partials.js';

/** Merged partial rows of labels lo..lo + rows.length / ROW - 1 (partials.ts F, row-major). */
export interface StatsRows {
  /** The first label of the batch. */
  readonly lo: number;
  /** One merged partial row per label, row-major. */
  readonly rows: Float64Array;
}

/** The statistics of every component (labels 1..length), held as typed-array batches; rows become ShapeRow objects one at a time as they are read. */
export class ShapeTable implements Iterable<ShapeRow> {
  readonly #batches: readonly StatsRows[];
  /** Number of labels: the rows are labels 1..length. */
  readonly length: number;

  /** `batches` in label order, together covering labels 1..N without gaps. */
  constructor(batches: readonly StatsRows[]) {
    const sorted = [...batches].filter((b) => b.rows.length > 0).sort((a, b) => a.lo - b.lo);
    let next = 1;
    for (const b of sorted) {
      if (b.lo !== next || b.rows.length % ROW !== 0) throw new Error(`statistics batches do not cover labels 1..N: a batch starts at label ${b.lo}, expected ${next}`);
      next += b.rows.length / ROW;
    }
    this.#batches = sorted;
    this.length = next - 1;
  }

  /** A table from one [label, row] pair per label (labels 1..N in order), as the key-value method yields them. */
  static fromPairs(pairs: readonly (readonly [number, Float64Array])[]): ShapeTable {
    const rows = new Float64Array(pairs.length * ROW);
    pairs.forEach(([, r], i) => rows.set(r.subarray(0, ROW), i * ROW));
    return new ShapeTable(pairs.length === 0 ? [] : [{ lo: 1, rows }]);
  }

  /** The merged partial row of `label` (a view). */
  partial(label: number): Float64Array {
    for (const b of this.#batches) {
      const i = label - b.lo;
      if (i >= 0 && i * ROW < b.rows.length) return b.rows.subarray(i * ROW, (i + 1) * ROW);
    }
    throw new ConfigError('label', `no label ${label} in a table of ${this.length} components`);
  }

  /** The statistics of `label` as a ShapeRow; a ConfigError when there is no such label. */
  row(label: number): ShapeRow {
    return shapeRow(label, this.partial(label));
  }

  /** Every row as a ShapeRow, in label order, one object at a time. */
  *[Symbol.iterator](): Iterator<ShapeRow> {
    for (const b of this.#batches) for (let i = 0; i * ROW < b.rows.length; i++) yield shapeRow(b.lo + i, b.rows.subarray(i * ROW, (i + 1) * ROW));
  }

  /** Calls `fn(label, row)` for every label in order with the merged partial row (a view): no object per label. */
  forEachPartial(fn: (label: number, row: Float64Array) => void): void {
    for (const b of this.#batches) for (let i = 0; i * ROW < b.rows.length; i++) fn(b.lo + i, b.rows.subarray(i * ROW, (i + 1) * ROW));
  }

  /** Every row as a ShapeRow object (what `shapeStats()` returns). */
  toRows(): ShapeRow[] {
    return [...this];
  }

  /** Sum of the voxel counts: the foreground. */
  voxels(): number {
    let n = 0;
    for (const b of this.#batches) for (let i = 0; i < b.rows.length; i += ROW) n += b.rows[i + F.count] as number;
    return n;
  }

  /** Every component's voxel count, in label order. */
  voxelCounts(): number[] {
    const out: number[] = [];
    this.forEachPartial((_, r) => void out.push(r[F.count] as number));
    return out;
  }

  /** The `k` largest components, largest first (ties by label). */
  largest(k: number): ShapeRow[] {
    const top: [number, number][] = [];
    this.forEachPartial((label, r) => {
      const v = r[F.count] as number;
      if (top.length === k && v <= (top[k - 1] as [number, number])[1]) return;
      top.push([label, v]);
      top.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      if (top.length > k) top.pop();
    });
    return top.map(([label]) => this.row(label));
  }

  /** A copy whose intensity sums are `sums` (label → sum; 0 where absent). */
  withIntensitySums(sums: ReadonlyMap<number, number>): ShapeTable {
    return new ShapeTable(
      this.#batches.map((b) => {
        const rows = b.rows.slice();
        for (let i = 0; i * ROW < rows.length; i++) rows[i * ROW + F.sumI] = sums.get(b.lo + i) ?? 0;
        return { lo: b.lo, rows };
      }),
    );
  }
}
