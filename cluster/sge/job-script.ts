/**
 * The SGE job script of a voxelflow worker, built from options and printable (`voxelflow sge script`)
 * exactly as `qsub` receives it. Grid Engine facts it relies on: jobs get neither PATH nor
 * TMPDIR, so node and voxelflow are absolute paths; `exec` makes node the job's process so it receives
 * s_rt's SIGUSR1 and `qdel -notify`'s SIGUSR2 (both mean: drain and leave); `-l s_rt` comes before
 * `h_rt` so that there is time to drain. The secret is never in the script: the worker reads it from a
 * file (mode 0600) whose path is passed, quoted. The log folder must exist before submission (SGE opens
 * `-o` before the script runs): the launcher creates it.
 *
 * @example
 *   console.log(jobScript({ master: '10.0.0.5:7077', secretFile: '/home/me/.voxelflow/secret' }, jobOptions({ cores: 4 })));
 */
import { resolve } from 'node:path';
import type { JobOptions } from './job-options.js';
import { formatWalltime, jobNameFor } from './job-options.js';

/** Where the worker connects and with what; paths are made absolute. */
export interface JobTarget {
  /** `HOST:PORT` (or `voxelflow://HOST:PORT`) of the master, as the workers' hosts reach it. */
  readonly master: string;
  readonly secretFile?: string;
  /** The node binary; default this process's. */
  readonly node?: string;
  /** voxelflow's `bin/voxelflow.js`; default the one of this installation. */
  readonly bin?: string;
}

/** Single-quoted for sh: safe for any path or value. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** This installation's `bin/voxelflow.js` (this file runs from cluster/sge or dist/cluster/sge). */
export function defaultBin(): string {
  const here = new URL('.', import.meta.url).pathname;
  const fromDist = resolve(here, '../../../bin/voxelflow.js');
  return here.includes('/dist/') ? fromDist : resolve(here, '../../bin/voxelflow.js');
}

/** The absolute log folder of the jobs. */
export function logDirOf(o: JobOptions): string {
  return resolve(o.logDir ?? 'voxelflow-logs');
}

/** The job script text. */
export function jobScript(target: JobTarget, o: JobOptions): string {
  const master = target.master.replace(/^voxelflow:\/\//, '');
  const logDir = logDirOf(o);
  const d: string[] = [
    `#$ -N ${o.name ?? jobNameFor(master)}`,
    '#$ -cwd',
    '#$ -j y',
    `#$ -o ${logDir}/$JOB_NAME.$JOB_ID.$TASK_ID.log`,
    '#$ -notify',
    '#$ -S /bin/sh',
  ];
  if (o.walltimeSeconds !== null) {
    d.push(`#$ -l s_rt=${formatWalltime(o.walltimeSeconds - o.drainSeconds)},h_rt=${formatWalltime(o.walltimeSeconds)}`);
  }
  if (o.cores > 1) d.push(`#$ -pe ${o.pe} ${o.cores}`);
  if (o.queue !== null) d.push(`#$ -q ${o.queue}`);
  if (o.project !== null) d.push(`#$ -P ${o.project}`);
  for (const r of o.resources) d.push(`#$ -l ${r}`);
  for (const line of o.directives) d.push(`#$ ${line}`);

  // A worker on another host must be dialled by drivers and other workers where the master is: it
  // listens on every interface and advertises the address it reaches the master from (cli/worker.ts).
  const host = /^(localhost|127\.[\d.]+|\[::1\]):\d+$/.test(master) ? '127.0.0.1' : '0.0.0.0';
  const args = [
    'worker',
    '--master', master,
    '--host', host,
    '--cores', String(o.cores),
    '--memory', o.memory,
    '--death-timeout', String(o.deathTimeout),
  ];
  const quoted = args.map(shellQuote);
  const secret = target.secretFile !== undefined ? ` \\\n  --secret-file ${shellQuote(resolve(target.secretFile))}` : '';
  // Workers drain at s_rt; each also leaves by itself a little earlier, at a time spread over the drain
  // window, so that a whole array does not drain at once.
  const lifetime =
    o.walltimeSeconds !== null
      ? ` \\\n  --lifetime ${o.walltimeSeconds - o.drainSeconds} --lifetime-stagger ${Math.floor(o.drainSeconds / 2)}`
      : '';
  return [
    '#!/bin/sh',
    '# voxelflow worker job (voxelflow sge script); one array task = one worker.',
    ...d,
    '',
    `exec ${shellQuote(target.node ?? process.execPath)} ${shellQuote(target.bin ?? defaultBin())} ${quoted.join(' ')} \\`,
    `  --name "voxelflow-$JOB_ID.$SGE_TASK_ID" --work-dir "\${TMP:-/tmp}"${secret}${lifetime}`,
    '',
  ].join('\n');
}
