/**
 * CSV reading: RFC 4180 quoting, missing values, type inference and overrides, column subsets,
 * files without a header, and the errors for bad input (each naming the file, and the line for a
 * bad row). The inline number parser must give exactly what Number() gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Context, isTableError } from '../../index.js';
import { csvPlan } from '../../table/read-csv.js';
import { parseCsv } from '../../table/csv-parse.js';
import { columnAt } from '../../table/batch.js';
import { tempFiles } from './helpers.js';
import { contextPerFile } from '../helpers/context.js';

const files = tempFiles();
let ctx: Context;
contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

describe('readCsv', () => {
  it('reads quoted fields with delimiters, newlines and doubled quotes', async () => {
    const path = files.write('quoted.csv', 'id,note\n1,"a, b"\n2,"line1\nline2"\n3,"say ""hi"""\n4,plain\n');
    expect(await ctx.readCsv(path).take(10)).toEqual([
      { id: 1, note: 'a, b' },
      { id: 2, note: 'line1\nline2' },
      { id: 3, note: 'say "hi"' },
      { id: 4, note: 'plain' },
    ]);
  });

  it('turns missing values into NaN (numbers) and null (strings)', async () => {
    const path = files.write('missing.csv', 'x,y,s\n1,,a\nNA,2,\n,NaN,c\n');
    const rows = await ctx.readCsv(path).take(10);
    expect(rows.map((r) => r['x'])).toEqual([1, Number.NaN, Number.NaN]);
    expect(rows.map((r) => r['y'])).toEqual([Number.NaN, 2, Number.NaN]);
    expect(rows.map((r) => r['s'])).toEqual(['a', null, 'c']);
  });

  it('handles CRLF line ends, a byte order mark, blank lines and no final newline', async () => {
    const path = files.write('crlf.csv', '\uFEFFa,b\r\n1,2\r\n\r\n3,4');
    const t = ctx.readCsv(path);
    expect(t.columns).toEqual(['a', 'b']);
    expect(await t.take(10)).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
  });

  it('infers numbers and text per column, and types override the inference', async () => {
    const path = files.write('types.csv', 'code,v\n007,1.5\n010,2.5\n');
    expect(ctx.readCsv(path).fields).toEqual([
      { name: 'code', type: 'f64' },
      { name: 'v', type: 'f64' },
    ]);
    const t = ctx.readCsv(path, { types: { code: 'string', v: 'f32' } });
    expect(t.fields.map((f) => f.type)).toEqual(['string', 'f32']);
    expect(await t.take(2)).toEqual([
      { code: '007', v: 1.5 },
      { code: '010', v: 2.5 },
    ]);
  });

  it('keeps only the columns asked for, in that order', async () => {
    const path = files.write('subset.csv', 'a,b,c\n1,2,3\n4,5,6\n');
    const t = ctx.readCsv(path, { columns: ['c', 'a'] });
    expect(t.columns).toEqual(['c', 'a']);
    expect(await t.take(5)).toEqual([
      { c: 3, a: 1 },
      { c: 6, a: 4 },
    ]);
  });

  it('reads files without a header, with given or default names, and other delimiters', async () => {
    const path = files.write('nohead.tsv.csv', '1\t2\n3\t4\n');
    expect(await ctx.readCsv(path, { header: false, delimiter: '\t' }).take(5)).toEqual([
      { _c0: 1, _c1: 2 },
      { _c0: 3, _c1: 4 },
    ]);
    expect((await ctx.readCsv(path, { header: false, delimiter: '\t', columns: ['p', 'q'] }).take(1))[0]).toEqual({ p: 1, q: 2 });
  });

  it('reads many files by glob, one partition each, in name order', async () => {
    files.write('many-2.csv', 'a,s\n3,y\n');
    files.write('many-1.csv', 'a,s\n1,x\n2,x\n');
    const t = ctx.readCsv(`${files.dir}/many-*.csv`);
    expect(t.numPartitions).toBe(2);
    expect(await t.count()).toBe(3);
    expect((await t.take(3)).map((r) => r['a'])).toEqual([1, 2, 3]);
  });

  it('rejects a header that differs from the first file, naming the file and the column', () => {
    files.write('mix-1.csv', 'a,b\n1,2\n');
    const bad = files.write('mix-2.csv', 'a,c\n1,2\n');
    expect(() => ctx.readCsv(`${files.dir}/mix-*.csv`)).toThrowError(new RegExp(`^${bad}: header differs .*column 2 is "c"`));
  });

  it('reports a row with the wrong number of columns by file and line', async () => {
    const path = files.write('short.csv', 'a,b\n1,2\n3\n');
    const err = await ctx.readCsv(path).count().catch((e: unknown) => e);
    expect(isTableError(err)).toBe(true);
    expect((err as Error).message).toBe(`${path}:3: row has 1 column, the header has 2; fix the row, or check the delimiter (--delimiter)`);
  });

  it('reports text in a numeric column of a later file by file, line and column, with the fix', async () => {
    files.write('num-1.csv', 'a,b\n1,2\n');
    const bad = files.write('num-2.csv', 'a,b\n1,2\n3,abc\n');
    const err = await ctx.readCsv(`${files.dir}/num-*.csv`).count().catch((e: unknown) => e);
    expect((err as Error).message).toBe(`${bad}:3: column 'b' holds "abc", not a number; fix the value, or read the column as text with types: { "b": 'string' }`);
  });

  it('reports an unclosed quote at the line where the field starts', async () => {
    const path = files.write('unclosed.csv', 'a,b\n1,"x\n2,3\n');
    await expect(ctx.readCsv(path).count()).rejects.toThrow(`${path}:2: a quoted field is not closed`);
  });

  it('names a path that matches nothing', () => {
    expect(() => ctx.readCsv(`${files.dir}/nothing-*.csv`)).toThrow(/nothing-\*\.csv: no \.csv file matches/);
  });
});

describe('the inline number parser', () => {
  const plan = (file: string) => csvPlan([file], { types: { v: 'f64' } });

  it('gives exactly what Number() gives, for any double written in any common form', () => {
    const path = files.write('numbers-head.csv', 'v\n1\n');
    const p = plan(path);
    const forms = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
      fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 17 })).map(([x, d]) => x.toPrecision(d)),
      fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 12 })).map(([x, d]) => x.toFixed(d)),
      fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 16 })).map(([x, d]) => x.toExponential(d).toUpperCase()),
      fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `+${m}e${e}`),
    );
    fc.assert(
      fc.property(fc.array(forms, { minLength: 1, maxLength: 30 }), (texts) => {
        const batch = parseCsv(Buffer.from(`v\n${texts.join('\n')}\n`), 'numbers.csv', p);
        expect(Array.from(columnAt(batch, 0) as Float64Array)).toEqual(texts.map((t) => Number(t)));
      }),
      { numRuns: 300 },
    );
  });
});
