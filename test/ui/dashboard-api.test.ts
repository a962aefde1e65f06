import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Context, histogramSvg, type JobRow, type PreviewRow, type StageRow, type TaskRow } from '../../index.js';

const SECRET = 'tops3cret-VoxelflowDashboardTest-7f3a';

const get = async <T>(ctx: Context, path: string): Promise<T> => {
  const r = await fetch(new URL(path, (ctx.ui as NonNullable<Context['ui']>).url));
  expect(r.status, path).toBe(200);
  return (await r.json()) as T;
};

/** Reads a server-sent event stream until `until` matches what arrived (or 5 s pass). */
async function readEvents(url: string, trigger: () => Promise<unknown>, until: RegExp): Promise<string> {
  const abort = new AbortController();
  const r = await fetch(url, { signal: abort.signal });
  const reader = (r.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 5000;
  let triggered: Promise<unknown> | null = null;
  while (!until.test(text) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((res) => setTimeout(() => res(null), 250))]);
    if (chunk !== null && chunk.value !== undefined) text += decoder.decode(chunk.value, { stream: true });
    if (triggered === null && text.includes('event: hello')) triggered = trigger();
  }
  await triggered;
  abort.abort();
  return text;
}

describe('dashboard JSON API', () => {
  let ctx: Context;
  let failedJob: JobRow;
  beforeAll(async () => {
    ctx = await Context.create({ master: 'local[2]', secret: SECRET, ui: { port: 0 } });
    await ctx.parallelize(['a b', 'b c', 'c d a'], 3).flatMap((l) => l.split(' ')).map((w) => [w, 1] as [string, number]).reduceByKey((a, b) => a + b, 2).collect();
    // A task error that quotes the secret: the dashboard must show the error but not the secret.
    await expect(ctx.parallelize([1], 1).map((_x, env) => {
      throw new Error(`cannot authenticate with ${env.s}`);
    }, { s: SECRET }).collect()).rejects.toThrow();
    failedJob = (await get<JobRow[]>(ctx, '/api/v1/jobs'))[0] as JobRow;
  });
  afterAll(() => ctx.stop());

  it('is off unless asked', async () => {
    const plain = await Context.create({ master: 'local' });
    expect(plain.ui).toBeNull();
    await plain.stop();
  });

  it('listens on loopback by default', async () => {
    expect(ctx.ui?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const external = Object.values(networkInterfaces()).flat().find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
    if (external === undefined) return console.warn('no non-loopback IPv4 interface: skipped the check that the dashboard is unreachable from one');
    await expect(fetch(`http://${external.address}:${ctx.ui?.port}/api/v1/jobs`)).rejects.toThrow();
  });

  it('lists a shuffle job with its two stages, their tasks and the executor', async () => {
    const jobs = await get<JobRow[]>(ctx, '/api/v1/jobs');
    const job = jobs.find((j) => j.status === 'succeeded') as JobRow;
    expect(job).toMatchObject({ action: 'collect', status: 'succeeded', stageIds: [expect.any(Number), expect.any(Number)] });
    expect(job.tasks).toEqual({ active: 0, succeeded: 5, failed: 0, killed: 0 });
    const stages = await get<StageRow[]>(ctx, `/api/v1/stages?job=${job.jobId}`);
    expect(stages.map((s) => [s.kind, s.numTasks, s.status, s.tasks.succeeded])).toEqual([['result', 2, 'succeeded', 2], ['shuffleMap', 3, 'succeeded', 3]]);
    expect(stages[1]?.shuffleBytesWritten).toBeGreaterThan(0);
    const mapStage = stages[1] as StageRow;
    const tasks = await get<TaskRow[]>(ctx, `/api/v1/tasks?stage=${mapStage.stageId}`);
    expect(tasks.map((t) => t.partition).sort()).toEqual([0, 1, 2]);
    expect(tasks.every((t) => t.status === 'success' && t.durationMs !== null)).toBe(true);
    expect(await get(ctx, '/api/v1/executors')).toMatchObject([{ executorId: expect.any(String), cores: 2, status: 'active' }]);
  });

  it('shows a failed job with its task failures', () => {
    expect(failedJob.status).toBe('failed');
    expect(failedJob.tasks.failed).toBe(4);
    expect(failedJob.error).toContain('cannot authenticate with');
  });

  it('never sends the cluster secret: not in errors, the app row, the page or the event stream', async () => {
    const base = ctx.ui?.url as string;
    const bodies: string[] = [];
    for (const path of ['', 'app.js', 'style.css', 'api/v1/app', 'api/v1/jobs', 'api/v1/stages', 'api/v1/tasks', 'api/v1/executors', 'api/v1/scans', 'api/v1/previews']) {
      bodies.push(await (await fetch(base + path)).text());
    }
    bodies.push(await readEvents(`${base}api/v1/events`, () => ctx.range(0, 4).count(), /event: update/));
    const all = bodies.join('\n');
    expect(all).toContain('cannot authenticate with [redacted]');
    expect(all).not.toContain(SECRET);
  });

  it('pushes an update naming the jobs topic when a job runs', async () => {
    const text = await readEvents(`${ctx.ui?.url}api/v1/events`, () => ctx.range(0, 10).sum(), /"jobs"/);
    expect(text).toMatch(/^retry: \d+/);
    expect(text).toMatch(/event: update\ndata: \{"topics":\[[^\]]*"jobs"/);
  });

  it('serves previews as PNG and SVG, replacing a name shown again', async () => {
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [16, 20, 24], seed: 3 });
    const slice = await img.slice(8);
    const first = ctx.ui?.showPreview('middle slice', slice) as PreviewRow;
    const again = ctx.ui?.showPreview('middle slice', slice.withWindow({ min: 0, max: 100 })) as PreviewRow;
    ctx.ui?.showPreview('histogram', histogramSvg(await img.histogram({ bins: 8 })));
    expect(again.id).toBe(first.id);
    expect(again.version).toBeGreaterThan(first.version);
    const list = await get<PreviewRow[]>(ctx, '/api/v1/previews');
    expect(list.map((p) => [p.name, p.type, p.width, p.height])).toEqual([['histogram', 'svg', null, null], ['middle slice', 'png', 24, 20]]);
    const png = await fetch(new URL(again.url, ctx.ui?.url));
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).equals(slice.withWindow({ min: 0, max: 100 }).png())).toBe(true);
    const svg = await fetch(new URL((list[0] as PreviewRow).url, ctx.ui?.url));
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg/);
    expect(() => ctx.ui?.showPreview('x', new Uint8Array([1, 2, 3]))).toThrow(/not a PNG/);
  });

  it('lists streaming scans from scanUpdated events', async () => {
    ctx.events.post({ type: 'scanUpdated', scanId: 'series-7', status: 'receiving', expected: 10, counters: { received: 4, processed: 4 } });
    ctx.events.post({ type: 'scanUpdated', scanId: 'series-7', status: 'incomplete', expected: 10, counters: { received: 9, processed: 8, malformed: 1, missing: 1 } });
    expect(await get(ctx, '/api/v1/scans')).toMatchObject([{ scanId: 'series-7', status: 'incomplete', expected: 10, counters: { received: 9, processed: 8, malformed: 1, missing: 1 } }]);
  });

  it('answers only to a loopback Host header when bound to loopback (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: ctx.ui?.port, path: '/api/v1/jobs', headers: { host: 'attacker.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(status).toBe(403);
  });

  it('is read-only and says where the API is for unknown paths', async () => {
    expect((await fetch(`${ctx.ui?.url}api/v1/jobs`, { method: 'POST' })).status).toBe(405);
    const missing = await fetch(`${ctx.ui?.url}api/v1/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: expect.stringContaining('/api/v1/jobs') });
  });
});

describe('dashboard options and lifecycle', () => {
  let blocker: Server;
  let busyPort: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    busyPort = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => blocker.close(() => r())));

  it('rejects a port in use with a ConfigError naming the port', async () => {
    const err = await Context.create({ master: 'local', ui: { port: busyPort } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ option: 'ui.port', message: expect.stringContaining(`port ${busyPort} on 127.0.0.1 is already in use`) });
  });

  it('rejects bad ui options with one line naming the field', async () => {
    await expect(Context.create({ master: 'local', ui: { port: 70000 } })).rejects.toMatchObject({ option: 'ui.port' });
    await expect(Context.create({ master: 'local', ui: { port: 1, host: '' } })).rejects.toMatchObject({ option: 'ui.host' });
    await expect(Context.create({ master: 'local', ui: { port: 1, hots: 'x' } as never })).rejects.toThrow(/unknown field 'hots'/);
  });

  it('stops serving when the context stops, even with a live event stream open', async () => {
    const ctx = await Context.create({ master: 'local', ui: { port: 0 } });
    const url = ctx.ui?.url as string;
    const events = await fetch(`${url}api/v1/events`);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await ctx.stop();
    await expect(fetch(`${url}api/v1/jobs`)).rejects.toThrow();
  });
});
