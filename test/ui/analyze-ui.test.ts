import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Context, writeImage, type JobRow, type PreviewRow } from '../../index.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voxelflow.js');
const dir = mkdtempSync(join(tmpdir(), 'vf-analyze-ui-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('voxelflow analyze --ui-port', () => {
  it('serves the jobs and a labeled preview of the result, and exits 0 on Ctrl-C with --ui-wait', async () => {
    const ctx = await Context.create({ master: 'local' });
    const input = join(dir, 'blobs.npy');
    writeImage(input, await ctx.images.synthetic({ kind: 'blobs', shape: [16, 32, 32], seed: 4 }).toArray());
    await ctx.stop();

    const child = spawn(process.execPath, [bin, 'analyze', input, '--above', '400', '--master', 'local[2]', '--quiet', '--ui-port', '0', '--ui-wait'], { cwd: dir });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!/stays up/.test(err) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const url = /dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err)?.[1];
    expect(url, err).toBeDefined();

    const jobs = (await (await fetch(`${url}api/v1/jobs`)).json()) as JobRow[];
    expect(jobs.length).toBeGreaterThan(3);
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
    const previews = (await (await fetch(`${url}api/v1/previews`)).json()) as PreviewRow[];
    expect(previews.map((p) => p.name).sort()).toEqual(['component sizes', 'intensity histogram', 'labels over slice z=8']);
    const png = await fetch(new URL((previews.find((p) => p.type === 'png') as PreviewRow).url, url));
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('rejects a bad --ui-port in one line', () => {
    const r = spawnSync(process.execPath, [bin, 'analyze', 'x.npy', '--above', '1', '--ui-port', '70000'], { encoding: 'utf8', cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("voxelflow analyze: --ui-port must be an integer from 0 to 65535 (0 picks a free port), got '70000'");
  });
});
