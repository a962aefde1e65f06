/**
 * Sun Grid Engine (and its successors) behind `BatchLauncher`: `qsub -terse -t 1-N` with the job script
 * on stdin, `qstat -xml` to list, `qdel` to cancel (with `-notify` in the script, SGE sends SIGUSR2 first,
 * so workers drain), `qstat -j` for the reasons a job waits.
 *
 * @example
 *   const sge = new SgeLauncher();
 *   const id = await sge.submit({ master: '10.0.0.5:7077' }, jobOptions({ cores: 2 }), 4); // '123'
 *   await sge.cancel([id]);
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { BatchError, type BatchJob, type BatchLauncher } from './batch-launcher.js';
import type { JobOptions } from './job-options.js';
import { jobScript, logDirOf, type JobTarget } from './job-script.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Grid Engine command; ENOENT becomes an error that names the command and what to do. */
function run(command: string, args: readonly string[], input?: string, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err !== null && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new BatchError(`${command} not found on PATH: is Grid Engine's client installed here (and SGE_ROOT set, e.g. by its settings.sh)?`));
        return;
      }
      if (err?.killed) {
        reject(new BatchError(`${command} ${args.join(' ')} did not answer within ${timeoutMs / 1000} s; is sge_qmaster running?`));
        return;
      }
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

const firstLine = (s: string): string => s.trim().split('\n').filter((l) => l.trim() !== '')[0]?.trim() ?? '';

/** How many tasks a `<tasks>` field names: `3`, `5,6`, `1-4:1`, `2-10:2`. */
export function countTasks(spec: string): number {
  let n = 0;
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part.trim());
    if (m === null) continue;
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    n += Math.floor((end - start) / step) + 1;
  }
  return n;
}

const field = (block: string, tag: string): string => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(block)?.[1] ?? '';

function stateOf(code: string): BatchJob['state'] {
  if (code.includes('E')) return 'error';
  if (code.includes('d')) return 'draining';
  if (code.includes('r') || code.includes('t')) return 'running';
  return 'pending';
}

/** The jobs of `qstat -xml` output. */
export function parseQstatXml(xml: string): BatchJob[] {
  const jobs: BatchJob[] = [];
  for (const m of xml.matchAll(/<job_list[^>]*>([\s\S]*?)<\/job_list>/g)) {
    const block = m[1]!;
    const tasksField = field(block, 'tasks');
    const tasks = tasksField === '' ? 1 : countTasks(tasksField);
    const single = /^\d+$/.test(tasksField);
    const code = field(block, 'state');
    const id = field(block, 'JB_job_number');
    const ref = tasksField === '' ? id : `${id}.${tasksField.replace(/:1$/, '')}`;
    jobs.push({ id, task: single ? Number(tasksField) : null, tasks, ref, name: field(block, 'JB_name'), state: stateOf(code), code });
  }
  return jobs;
}

export class SgeLauncher implements BatchLauncher {
  readonly kind = 'sge';

  script(target: JobTarget, options: JobOptions): string {
    return jobScript(target, options);
  }

  async submit(target: JobTarget, options: JobOptions, count: number): Promise<string> {
    if (!Number.isInteger(count) || count < 1) throw new BatchError(`the number of workers must be a whole number >= 1, got ${count}`);
    mkdirSync(logDirOf(options), { recursive: true });
    const r = await run('qsub', ['-terse', '-t', `1-${count}`], jobScript(target, options));
    if (r.code !== 0) throw new BatchError(`qsub refused the worker job: ${firstLine(r.stderr) || firstLine(r.stdout) || `exit ${r.code}`}`);
    const id = /^(\d+)/.exec(r.stdout.trim())?.[1];
    if (id === undefined) throw new BatchError(`qsub printed no job id (got '${firstLine(r.stdout)}')`);
    return id;
  }

  async jobs(name?: string): Promise<BatchJob[]> {
    const r = await run('qstat', ['-xml']);
    if (r.code !== 0) throw new BatchError(`qstat failed: ${firstLine(r.stderr) || `exit ${r.code}`}`);
    const all = parseQstatXml(r.stdout);
    return name === undefined ? all : all.filter((j) => j.name === name);
  }

  async cancel(ids: readonly string[]): Promise<void> {
    // Whole jobs and single tasks go in one qdel; a task range or list needs `qdel ID -t RANGE`.
    const plain = ids.filter((id) => /^\d+(\.\d+)?$/.test(id));
    const calls: string[][] = plain.length > 0 ? [plain] : [];
    for (const id of ids) {
      const m = /^(\d+)\.([\d,:-]+)$/.exec(id);
      if (m !== null && !plain.includes(id)) calls.push([m[1]!, '-t', m[2]!]);
      else if (m === null && !plain.includes(id)) throw new BatchError(`'${id}' is not a job id (ID, ID.TASK or ID.FIRST-LAST)`);
    }
    for (const args of calls) {
      const r = await run('qdel', args);
      // qdel exits non-zero when a job is already gone; only a refusal of a job that exists is an error.
      const refused = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/does not exist|has already been deleted|registered the job/.test(l));
      if (r.code !== 0 && refused.length > 0) throw new BatchError(`qdel failed: ${refused[0]!.trim()}`);
    }
  }

  async pendingReasons(id: string): Promise<string> {
    const r = await run('qstat', ['-j', id]);
    if (r.code !== 0) return '';
    const lines = r.stdout.split('\n');
    const start = lines.findIndex((l) => /^scheduling info:/.test(l));
    if (start < 0) return '';
    return lines.slice(start).map((l) => l.replace(/^scheduling info:\s*/, '').trim()).filter((l) => l !== '').join('; ');
  }
}
