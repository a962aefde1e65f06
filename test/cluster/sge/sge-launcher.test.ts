/**
 * The launcher against a real Grid Engine (scripts/start-sge.sh, run by .ci/run). The "worker" is a
 * stand-in that sleeps, so that submission, listing, draining signals and cancelling are tested on their
 * own; the end-to-end tests run real workers.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchError, jobOptions, SgeLauncher } from '../../../cluster/sge/index.js';
import { skipName } from '../../helpers/skip.js';

const qsub = spawnSync('qsub', ['-help'], { encoding: 'utf8' });
const hasSge = qsub.error === undefined;
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'voxelflow.js');
const dir = mkdtempSync(join(tmpdir(), 'vf-sge-'));
const sge = new SgeLauncher();
const submitted: string[] = [];

afterAll(async () => {
  if (hasSge) await sge.cancel(submitted).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: string, f: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A stand-in for node: records its arguments and the signal it gets, then sleeps until told to go. */
function fakeNode(): string {
  const file = join(dir, 'fake-node.sh');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      `out=${dir}/run.$SGE_TASK_ID`,
      'echo "$@" > "$out.args"',
      `trap 'echo USR2 > "$out.signal"; exit 0' USR2`,
      `trap 'echo USR1 > "$out.signal"; exit 0' USR1`,
      'i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done',
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
  return file;
}

describe.skipIf(!hasSge)(skipName('Grid Engine launcher, real qsub', hasSge ? null : 'qsub not found; bash scripts/start-sge.sh installs and starts Grid Engine (.ci/run does)'), () => {
  it('submits an array, lists it by name, and qdel with -notify sends SIGUSR2 first', async () => {
    const name = `voxelflow-test-${process.pid}`;
    const options = jobOptions({ name, logDir: join(dir, 'logs') });
    const id = await sge.submit({ master: '127.0.0.1:1', node: fakeNode(), bin: '/nonexistent/voxelflow.js' }, options, 2);
    submitted.push(id);
    expect(id).toMatch(/^\d+$/);
    const running = await until('both tasks running', async () => {
      const jobs = (await sge.jobs(name)).filter((j) => j.id === id && j.state === 'running');
      return jobs.length === 2 && existsSync(join(dir, 'run.1.args')) && existsSync(join(dir, 'run.2.args')) ? jobs : null;
    });
    expect(running.map((j) => j.task).sort()).toEqual([1, 2]);
    expect(readFileSync(join(dir, 'run.1.args'), 'utf8')).toMatch(new RegExp(`^/nonexistent/voxelflow.js worker --master 127.0.0.1:1 .*--name voxelflow-${id}.1 `));
    expect((await sge.jobs('some-other-name')).filter((j) => j.id === id)).toEqual([]);
    await sge.cancel([id]);
    await until('the jobs to leave', async () => ((await sge.jobs(name)).length === 0 ? true : null));
    expect(readFileSync(join(dir, 'run.1.signal'), 'utf8').trim()).toBe('USR2');
    expect(existsSync(join(dir, 'logs'))).toBe(true);
  }, 60_000);

  it('quotes qsub when it refuses a job', async () => {
    const options = jobOptions({ name: `voxelflow-bad-${process.pid}`, queue: 'no-such-queue.q', logDir: join(dir, 'logs') });
    await expect(sge.submit({ master: '127.0.0.1:1' }, options, 1)).rejects.toThrow(/qsub refused the worker job: .*no-such-queue/);
  });

  it('cancelling a job that is gone is not an error', async () => {
    await expect(sge.cancel(['999999'])).resolves.toBeUndefined();
  });

  it('voxelflow sge status and stop find a master\'s jobs', async () => {
    const options = jobOptions({ logDir: join(dir, 'logs') });
    const master = `127.0.0.1:${40000 + (process.pid % 20000)}`;
    const id = await sge.submit({ master, node: fakeNode(), bin: '/nonexistent/voxelflow.js' }, options, 1);
    submitted.push(id);
    const cli = (...args: string[]) => spawnSync(process.execPath, [bin, 'sge', ...args], { encoding: 'utf8', timeout: 60_000 });
    const status = await until('status to list the job', async () => {
      const r = cli('status', '--master', master, '--json');
      const jobs = JSON.parse(r.stdout) as { id: string }[];
      return jobs.some((j) => j.id === id) ? jobs : null;
    });
    expect(status.every((j) => j.id === id)).toBe(true);
    const stop = cli('stop', '--master', master);
    expect(stop.status).toBe(0);
    expect(stop.stdout).toContain(`qdel ${id}`);
    await until('the job to leave', async () => ((await sge.jobs()).some((j) => j.id === id) ? null : true));
  }, 60_000);
});

describe('Grid Engine launcher without qsub', () => {
  it('says qsub is not found, naming it', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      await expect(new SgeLauncher().jobs()).rejects.toThrow(BatchError);
      await expect(new SgeLauncher().jobs()).rejects.toThrow(/qstat not found on PATH/);
    } finally {
      process.env['PATH'] = path;
    }
  });
});

describe('voxelflow sge command line', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [bin, 'sge', ...args], { encoding: 'utf8', timeout: 60_000 });
  it.each([
    [['script'], /--master HOST:PORT is required/],
    [['script', '--master', 'nohostport'], /--master must be HOST:PORT/],
    [['script', '--master', 'h:1', '--walltime', '90'], /--walltime: '90' is not a wall time; write HH:MM:SS/],
    [['script', '--master', 'h:1', '--log-dir', 'a b'], /--log-dir: .*without spaces/],
    [['script', '--master', 'h:1', '--cores', 'x'], /--cores must be a number/],
    [['submit', '--master', 'h:1'], /-n N .* is required/],
    [['launch'], /unknown subcommand 'launch'/],
    [[], /which one: script, submit, status or stop/],
  ])('%j fails with one line and exit 2', (args, message) => {
    const r = cli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('script prints the job script with the directive given', () => {
    const r = cli('script', '--master', 'head:7077', '--directive', '-l tmpfree=1G', '--cores', '2');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^#!\/bin\/sh\n/);
    expect(r.stdout).toContain('#$ -l tmpfree=1G\n');
    expect(r.stdout).toContain('#$ -pe smp 2\n');
  });
});
