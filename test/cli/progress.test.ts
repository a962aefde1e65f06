import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { type Context, writeImage } from '../../index.js';
import { Progress, type StepProgress } from '../../cli/progress.js';
import { contextPerFile } from '../helpers/context.js';

/** A stream that records what is written; `tty` makes it look like a terminal. */
function sink(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } }) as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number };
  w.isTTY = tty;
  w.columns = 120;
  Object.assign(w, { cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: w, text: () => chunks.join('') };
}

let ctx: Context;
contextPerFile({ master: 'local[2]' }, (c) => (ctx = c));

describe('Progress', () => {
  it('json mode ends every step with a done line carrying tasks, stages and voxels/s', async () => {
    const s = sink(false);
    const p = new Progress(ctx, 'json', s.stream);
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [16, 32, 32], seed: 1, blockShape: [8, 16, 16] });
    p.begin('box', 16 * 32 * 32);
    await img.boxFilter(1).blocks.count();
    p.begin('count');
    await ctx.range(0, 100, 1, 4).count();
    p.end();
    const lines = s.text().trim().split('\n').map((l) => JSON.parse(l) as StepProgress);
    const done = lines.filter((l) => l.done);
    expect(done.map((l) => l.step)).toEqual(['box', 'count']);
    expect(done[0]).toMatchObject({ tasksDone: 8, tasksTotal: 8, stages: 1, stagesDone: 1, etaMs: 0 });
    expect(done[0]!.voxelsPerSecond).toBeGreaterThan(0);
    expect(done[1]).toMatchObject({ tasksDone: 4, tasksTotal: 4, voxelsPerSecond: null });
  });

  it('the bar says ETA ? until a task has finished, never NFs or NULL', async () => {
    const s = sink(true);
    const p = new Progress(ctx, 'auto', s.stream);
    p.begin('count');
    await new Promise((r) => setTimeout(r, 300)); // a few frames at 8 fps before any task
    const before = s.text();
    await ctx.range(0, 100, 1, 4).count();
    p.end();
    expect(before, JSON.stringify(before)).toMatch(/ETA \?/);
    expect(s.text()).not.toMatch(/NFs|NULL|NaN/);
  });

  it('says on stderr when tasks wait for executors and when they are back, also when not a terminal (a log)', async () => {
    const log = sink(false);
    const p = new Progress(ctx, 'auto', log.stream);
    const since = Date.now() - 5_000;
    ctx.events.post({ type: 'executorsWaiting', since, registered: 0 });
    ctx.events.post({ type: 'executorsWaiting', since, registered: 2 });
    p.end();
    expect(log.text()).toBe(`voxelflow: waiting for executors (0 registered) since ${new Date(since).toISOString()}\nvoxelflow: executors back (2 registered) after waiting 5 s\n`);
    const quiet = sink(false);
    const q = new Progress(ctx, 'off', quiet.stream);
    ctx.events.post({ type: 'executorsWaiting', since, registered: 0 });
    q.end();
    expect(quiet.text()).toBe('');
  });

  it('shows batch workers (master sge): a JSON line per update, and a part of the bar', async () => {
    const json = sink(false);
    const p = new Progress(ctx, 'json', json.stream);
    ctx.events.post({ type: 'batchJobs', launcher: 'sge', requested: 3, pending: 1, running: 2, draining: 0, finished: 0 });
    p.end();
    expect(JSON.parse(json.text().trim())).toEqual({ event: 'workers', launcher: 'sge', requested: 3, pending: 1, running: 2, draining: 0, finished: 0 });
    const tty = sink(true);
    const b = new Progress(ctx, 'bar', tty.stream);
    b.begin('label');
    ctx.events.post({ type: 'batchJobs', launcher: 'sge', requested: 3, pending: 1, running: 2, draining: 0, finished: 0 });
    await ctx.range(0, 10, 1, 2).count();
    await new Promise((r) => setTimeout(r, 150));
    b.end();
    expect(tty.text()).toMatch(/sge workers: 2 running, 1 pending/);
  });

  it('auto mode is silent when the stream is not a terminal, and off is silent always', async () => {
    for (const [mode, tty] of [['auto', false], ['off', true]] as const) {
      const s = sink(tty);
      const p = new Progress(ctx, mode, s.stream);
      p.begin('count', 100);
      await ctx.range(0, 10).count();
      p.end();
      expect(s.text()).toBe('');
    }
  });

  it('bar mode draws the step, task counts and elapsed time on a terminal', async () => {
    const s = sink(true);
    const p = new Progress(ctx, 'bar', s.stream);
    p.begin('label', 1000);
    await ctx.range(0, 100, 1, 3).count();
    await new Promise((r) => setTimeout(r, 150));
    p.end();
    expect(s.text()).toMatch(/label +\[.*\] 3\/3 tasks \| stage 1\/1/);
  });
});

describe('voxelflow analyze progress and preview', () => {
  const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');
  const dir = mkdtempSync(join(tmpdir(), 'vf-progress-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints progress lines on stderr, --quiet none, --preview writes the labelled middle slice', async () => {
    const shape: [number, number, number] = [8, 24, 20];
    const data = new Uint8Array(8 * 24 * 20);
    for (let i = 0; i < data.length; i += 7) data[i] = 200;
    const input = join(dir, 'in.npy');
    writeImage(input, { data, shape, dtype: 'u8' });
    const preview = join(dir, 'p.png');
    const r = spawnSync(process.execPath, [bin, 'analyze', input, '--above', '100', '--json', '--preview', preview, '--master', 'local'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const steps = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as StepProgress).filter((l) => l.done).map((l) => l.step);
    // Read, crop, filter and threshold run fused inside the label step's tasks.
    expect(steps).toEqual(['label', 'stats', 'write']);
    const png = pngjs.PNG.sync.read(readFileSync(preview));
    expect([png.width, png.height]).toEqual([20, 24]);
    const q = spawnSync(process.execPath, [bin, 'analyze', input, '--above', '100', '--quiet', '--master', 'local'], { encoding: 'utf8' });
    expect(q.status).toBe(0);
    expect(q.stderr).toBe('');
    const bad = spawnSync(process.execPath, [bin, 'analyze', input, '--above', '100', '--preview', join(dir, 'p.jpg')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--preview must end in .png/);
  });
});
