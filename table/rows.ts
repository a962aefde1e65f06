/** Rows of a batch as plain objects: for printing, tests and small results, never a hot path. */
import { columnAt, isStringColumn, stringAt, type Batch } from './batch.js';

/** The first `limit` rows of a batch as objects. */
export function batchRows(b: Batch, limit = b.length): Record<string, number | string | null>[] {
  const cols = b.fields.map((_, i) => columnAt(b, i));
  const out: Record<string, number | string | null>[] = [];
  for (let r = 0; r < Math.min(limit, b.length); r++) {
    const row: Record<string, number | string | null> = {};
    b.fields.forEach((f, j) => {
      const c = cols[j]!;
      row[f.name] = isStringColumn(c) ? stringAt(c, r) : (c[r] as number);
    });
    out.push(row);
  }
  return out;
}
