/**
 * Sources against plain-array models: parallelize, ctx.range, ctx.emptyRDD and ctx.textFile (line
 * splitting across byte-range partitions, CRLF, missing final newline, empty lines, globs).
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

import { ConfigError } from '../../core/index.js';
import { check, forMasters, ints, parts, slicesModel } from '../helpers/model.js';

const root = mkdtempSync(join(tmpdir(), 'voxelflow-sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = (): string => {
  const dir = join(root, `d${dirCount++}`);
  mkdirSync(dir);
  return dir;
};

/** Numbers of `range(start, end, step)`, Spark's semantics (end exclusive, either direction). */
function rangeModel(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let x = start; step > 0 ? x < end : x > end; x += step) out.push(x);
  return out;
}

/** Hadoop's line model: split on LF, drop one CR before it, no line after a final newline. */
function linesModel(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** File text: lines without CR or LF, joined by LF or CRLF, with or without a final newline. */
const fileText = fc
  .record({
    lines: fc.array(
      fc.oneof(fc.constant(''), fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })).map((s) => s.replace(/[\r\n]/g, '')),
      { maxLength: 12 },
    ),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map(({ lines, crlf, finalNewline }) => {
    const eol = crlf ? '\r\n' : '\n';
    return lines.join(eol) + (finalNewline && lines.length > 0 ? eol : '');
  });

forMasters((ctx) => {
  // ---- parallelize and range -------------------------------------------------------------

  it('parallelize cuts the array into n contiguous slices', () =>
    check(
      fc.asyncProperty(ints, parts, async (xs, n) => {
        const rdd = ctx().parallelize(xs, n);
        expect(rdd.getNumPartitions()).toBe(n);
        expect(await rdd.glom().collect()).toEqual(slicesModel(xs, n));
      }),
    ));

  it('parallelize defaults to the default parallelism', () => {
    expect(ctx().parallelize([1, 2, 3]).getNumPartitions()).toBe(ctx().defaultParallelism);
  });

  it('emptyRDD has no partitions and no elements', async () => {
    const e = ctx().emptyRDD<number>();
    expect(e.getNumPartitions()).toBe(0);
    expect(await e.collect()).toEqual([]);
    expect(await e.count()).toBe(0);
  });

  it('range(start, end, step, n) yields Spark’s sequence in n even slices', () =>
    check(
      fc.asyncProperty(
        fc.integer({ min: -30, max: 30 }),
        fc.integer({ min: -30, max: 30 }),
        fc.integer({ min: -7, max: 7 }).filter((s) => s !== 0),
        parts,
        async (start, end, step, n) => {
          const rdd = ctx().range(start, end, step, n);
          expect(rdd.getNumPartitions()).toBe(n);
          expect(await rdd.glom().collect()).toEqual(slicesModel(rangeModel(start, end, step), n));
        },
      ),
    ));

  it('range(end) counts from 0', () =>
    check(
      fc.asyncProperty(fc.integer({ min: 0, max: 50 }), async (end) => {
        expect(await ctx().range(end).collect()).toEqual(rangeModel(0, end, 1));
      }),
    ));

  it('range rejects a zero step', () => {
    expect(() => ctx().range(0, 10, 0)).toThrow(ConfigError);
  });

  // ---- textFile --------------------------------------------------------------------------

  it('textFile reads the lines of a file for any minPartitions (LF, CRLF, final newline or not, empty lines)', () =>
    check(
      fc.asyncProperty(fileText, fc.integer({ min: 1, max: 40 }), async (text, minPartitions) => {
        const file = join(freshDir(), 'input.txt');
        writeFileSync(file, text);
        expect(await ctx().textFile(file, minPartitions).collect()).toEqual(linesModel(text));
      }),
      40,
    ));

  it('textFile makes at least minPartitions partitions when the file has that many bytes', () =>
    check(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, '')), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 16 }), async (lines, minPartitions) => {
        const file = join(freshDir(), 'lines.txt');
        const text = `${lines.join('\n')}\n`;
        writeFileSync(file, text);
        const rdd = ctx().textFile(file, minPartitions);
        expect(rdd.getNumPartitions()).toBeGreaterThanOrEqual(Math.min(minPartitions, Buffer.byteLength(text)));
        expect(await rdd.collect()).toEqual(lines);
      }),
    ));

  it('textFile of an empty file has no lines', async () => {
    const file = join(freshDir(), 'empty.txt');
    writeFileSync(file, '');
    expect(await ctx().textFile(file, 4).collect()).toEqual([]);
  });

  it('textFile of a directory reads its visible files in name order', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'b.txt'), 'b1\nb2\n');
    writeFileSync(join(dir, 'a.txt'), 'a1\r\na2');
    writeFileSync(join(dir, '_SUCCESS'), 'hidden\n');
    writeFileSync(join(dir, '.crc'), 'hidden\n');
    expect(await ctx().textFile(dir, 3).collect()).toEqual(['a1', 'a2', 'b1', 'b2']);
  });

  it('textFile expands * ? and [..] globs', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'x1.txt'), 'one\n');
    writeFileSync(join(dir, 'x2.txt'), 'two\n');
    writeFileSync(join(dir, 'y1.txt'), 'three\n');
    writeFileSync(join(dir, 'x1.log'), 'four\n');
    expect(await ctx().textFile(join(dir, '*.txt')).collect()).toEqual(['one', 'two', 'three']);
    expect(await ctx().textFile(join(dir, 'x?.txt')).collect()).toEqual(['one', 'two']);
    expect(await ctx().textFile(join(dir, '[xy]1.*')).collect()).toEqual(['four', 'one', 'three']);
  });

  it('textFile reads a comma-separated list of paths', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'p.txt'), 'p\n');
    writeFileSync(join(dir, 'q.txt'), 'q\n');
    expect(await ctx().textFile(`${join(dir, 'p.txt')},${join(dir, 'q.txt')}`).collect()).toEqual(['p', 'q']);
  });

  it('textFile reads the files inside directories a glob matches (saveAsTextFile outputs)', async () => {
    const dir = freshDir();
    await ctx().parallelize(['a', 'b', 'c'], 2).saveAsTextFile(join(dir, 'out-1'));
    await ctx().parallelize(['d'], 1).saveAsTextFile(join(dir, 'out-2'));
    expect(await ctx().textFile(join(dir, 'out-*')).collect()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('textFile fails with a readable error when nothing matches', () => {
    expect(() => ctx().textFile(join(root, 'nope-*.txt'))).toThrow(/no file matches/);
  });
});
