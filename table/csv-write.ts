/** Batches → CSV text: a header, then rows; strings quoted when they need it, missing values empty. */
import { columnAt, isStringColumn, stringAt, type Batch, type Field } from './batch.js';

/** CSV for `batches`, header first. Numbers are written as JavaScript prints them (round-trip exact). */
export function toCsv(fields: readonly Field[], batches: readonly Batch[]): string {
  const parts: string[] = [`${fields.map((f) => quote(f.name)).join(',')}\n`];
  for (const b of batches) {
    const cols = fields.map((_, i) => columnAt(b, i));
    const lines: string[] = new Array(b.length);
    for (let r = 0; r < b.length; r++) {
      let line = '';
      for (let j = 0; j < cols.length; j++) {
        const c = cols[j]!;
        if (j > 0) line += ',';
        if (isStringColumn(c)) {
          const s = stringAt(c, r);
          if (s !== null) line += quote(s);
        } else {
          const v = c[r] as number;
          if (v === v) line += String(v);
        }
      }
      lines[r] = line;
    }
    if (b.length > 0) parts.push(`${lines.join('\n')}\n`);
  }
  return parts.join('');
}

function quote(s: string): string {
  return /[",\n\r]/.test(s) || s === '' || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
