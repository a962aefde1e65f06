import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Context } from '../../core/index.js';

describe('smoke', () => {
  for (const master of ['local', 'local[2]']) {
    it(`recovery ${master}`, async () => {
      const spillDir = mkdtempSync(join(tmpdir(), 'vf-test-'));
      const ctx = await Context.create({ master, memory: '1k', spillDir });
      const ev: string[] = [];
      ctx.on('*', (e) => { if (e.type.startsWith('stage') || e.type === 'jobStart' || e.type === 'jobEnd' || (e.type === 'taskEnd' && e.status !== 'success')) ev.push(JSON.stringify({ ...e, time: undefined })); });
      const rdd = ctx.range(0, 10_000, 1, 4).map((x) => [x % 5000, 1] as [number, number]).reduceByKey((a, b) => a + b, 3);
      const a = await rdd.collect();
      const files = readdirSync(spillDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
      console.log(files.map((f) => join(f.parentPath, f.name)));
      for (const f of files) rmSync(join(f.parentPath, f.name));
      const b = await rdd.collect();
      console.log(a.length, b.length, ev.join('\n'));
      await ctx.stop();
    });
  }
});
