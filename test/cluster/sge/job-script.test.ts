import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/index.js';
import { countTasks, drainSecondsFor, formatWalltime, jobNameFor, jobOptions, jobScript, parseQstatXml, parseWalltime, shellQuote } from '../../../cluster/sge/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vf-sge-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('job options', () => {
  it('fill in defaults', () => {
    const o = jobOptions();
    expect(o).toMatchObject({ cores: 1, memory: '4g', walltimeSeconds: null, drainSeconds: 0, pe: 'smp', queue: null, deathTimeout: 60 });
  });

  it('parse and format wall times', () => {
    expect(parseWalltime('01:30:00')).toBe(5400);
    expect(parseWalltime('100:00:05')).toBe(360_005);
    expect(formatWalltime(5400)).toBe('01:30:00');
    expect(formatWalltime(360_005)).toBe('100:00:05');
    expect(() => parseWalltime('1:30')).toThrow(/HH:MM:SS/);
    expect(() => parseWalltime('00:00:30')).toThrow(/under a minute/);
  });

  it('leave 10% of the wall time (30 s .. 5 min) to drain', () => {
    expect(drainSecondsFor(120)).toBe(30);
    expect(drainSecondsFor(1200)).toBe(120);
    expect(drainSecondsFor(36_000)).toBe(300);
  });

  it.each([
    [{ cores: 0 }, 'cores', /cores: must be a whole number/],
    [{ cores: 1.5 }, 'cores', /whole number/],
    [{ memory: 'lots' }, 'memory', /memory: 'lots' is not a size/],
    [{ walltime: '5' }, 'walltime', /walltime: '5' is not a wall time/],
    [{ queue: 'a b' }, 'queue', /cannot be a Grid Engine name/],
    [{ name: 'x:y' }, 'name', /cannot be a Grid Engine name/],
    [{ directives: ['-l a\n#$ -l b'] }, 'directive', /one non-empty line/],
    [{ resources: ['gpu=1 x'] }, 'resource', /without spaces/],
    [{ logDir: '/tmp/my logs' }, 'logDir', /without spaces/],
    [{ deathTimeout: 0 }, 'deathTimeout', /seconds > 0/],
  ])('reject %j naming the option', (input, option, message) => {
    let err: unknown;
    try {
      jobOptions(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).option).toBe(option);
    expect((err as Error).message).toMatch(message);
  });

  it('name a master\'s jobs after its address', () => {
    expect(jobNameFor('voxelflow://10.0.0.5:7077')).toBe('voxelflow-10.0.0.5-7077');
    expect(jobNameFor('head-node:7077')).toBe('voxelflow-head-node-7077');
  });
});

describe('job script', () => {
  const o = jobOptions({ cores: 4, walltime: '02:00:00', queue: 'long.q', project: 'beam', resources: ['gpu=1'], directives: ['-l tmpfree=10G'], logDir: '/var/log/vf' });
  const script = jobScript({ master: 'voxelflow://head:7077', secretFile: "/home/me/my 'secret", node: '/opt/node/bin/node', bin: '/opt/vf/bin/voxelflow.js' }, o);
  const directives = script.split('\n').filter((l) => l.startsWith('#$ '));

  it('has the directives a worker job needs, s_rt before h_rt', () => {
    expect(directives).toEqual([
      '#$ -N voxelflow-head-7077',
      '#$ -cwd',
      '#$ -j y',
      '#$ -o /var/log/vf/$JOB_NAME.$JOB_ID.$TASK_ID.log',
      '#$ -notify',
      '#$ -S /bin/sh',
      '#$ -l s_rt=01:55:00,h_rt=02:00:00',
      '#$ -pe smp 4',
      '#$ -q long.q',
      '#$ -P beam',
      '#$ -l gpu=1',
      '#$ -l tmpfree=10G',
    ]);
  });

  it('asks for no parallel environment or wall time when not needed', () => {
    const plain = jobScript({ master: 'h:1' }, jobOptions());
    expect(plain).not.toMatch(/-pe |s_rt|h_rt|--lifetime/);
    expect(plain).not.toMatch(/--secret-file/);
  });

  it('never contains the secret itself, only its file', () => {
    expect(script).toContain("'/home/me/my '\\''secret'");
  });

  it('execs node with arguments that survive the shell exactly', () => {
    // A stand-in for node that prints its arguments, one per line.
    const node = join(dir, 'fake node');
    writeFileSync(node, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
    chmodSync(node, 0o755);
    const file = join(dir, 'job.sh');
    writeFileSync(file, jobScript({ master: 'head:7077', secretFile: "/home/me/my 'secret", node, bin: '/opt/vf $x/bin.js' }, o));
    const r = spawnSync('/bin/sh', [file], { encoding: 'utf8', env: { JOB_ID: '42', SGE_TASK_ID: '3', TMP: '/scratch/t' } });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      '/opt/vf $x/bin.js', 'worker', '--master', 'head:7077', '--host', '0.0.0.0', '--cores', '4', '--memory', '4g', '--death-timeout', '60',
      '--name', 'voxelflow-42.3', '--work-dir', '/scratch/t',
      '--secret-file', "/home/me/my 'secret",
      '--lifetime', '6900', '--lifetime-stagger', '150',
    ]);
  });

  it('quotes anything for sh', () => {
    for (const s of ['', 'plain', "it's", '$(rm -rf /)', 'a\nb', '`x`', '"q"']) {
      const r = spawnSync('/bin/sh', ['-c', `printf %s ${shellQuote(s)}`], { encoding: 'utf8' });
      expect(r.stdout).toBe(s);
    }
  });
});

describe('qstat output', () => {
  it('counts array task specs', () => {
    expect(countTasks('3')).toBe(1);
    expect(countTasks('5,6')).toBe(2);
    expect(countTasks('1-4:1')).toBe(4);
    expect(countTasks('2-10:2')).toBe(5);
    expect(countTasks('1,3-5:1')).toBe(4);
  });

  it('lists running tasks and pending ranges', () => {
    const xml = readFileSync(join(import.meta.dirname, 'qstat.xml'), 'utf8');
    const jobs = parseQstatXml(xml);
    expect(jobs.map((j) => [j.id, j.task, j.tasks, j.ref, j.state, j.code, j.name])).toEqual([
      ['2', 1, 1, '2.1', 'running', 'r', 'vftest'],
      ['2', 2, 1, '2.2', 'running', 'r', 'vftest'],
      ['2', null, 4, '2.3-6', 'pending', 'qw', 'vftest'],
      ['7', 1, 1, '7.1', 'draining', 'dr', 'voxelflow-h-1'],
      ['8', null, 1, '8', 'error', 'Eqw', 'voxelflow-h-1'],
    ]);
  });
});
