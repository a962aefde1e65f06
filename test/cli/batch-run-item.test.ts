/**
 * The pieces of `batch submit --sge` that need no Grid Engine: the array job's script (`--script`),
 * and `batch run-item` as a task runs it: the items of its lines of the list, nothing for an item
 * already done, exit 3 for an item whose input fails.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledger, makeProject, type Spec } from '../batch/batch-fixture.js';
import { cliSandbox } from './cli-sandbox.js';

const { dir, voxelflow } = cliSandbox('vf-batch-item-');
const SPECS: Spec[] = Array.from({ length: 5 }, (_, i) => ({ item: `r${i + 1}`, sample: 'R', n: 16, seed: i + 31 }));

describe('batch run-item and the array job script', () => {
  it('--script prints the array task: rerunnable, -pe for --cores, run-item over its list with --tasks-per-job', () => {
    const p = join(dir, 'script');
    makeProject(p, SPECS);
    const r = voxelflow('batch', 'submit', p, '--sge', '--script', '--tasks-per-job', '2', '--cores', '2', '--queue', 'all.q', '--walltime', '01:00:00');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('#$'))).toEqual([
      '#$ -N vf-batch-script', `#$ -wd ${p}`, '#$ -j y', `#$ -o ${join(p, 'output', 'sge', 'logs')}/$JOB_NAME.$JOB_ID.$TASK_ID.log`, '#$ -S /bin/sh', '#$ -q all.q', '#$ -l h_rt=01:00:00', '#$ -r y', '#$ -pe smp 2',
    ]);
    expect(lines.at(-1)).toMatch(new RegExp(`^exec '${process.execPath}' '.*/bin/voxelflow\\.js' 'batch' 'run-item' '${p}' '--list' '${p}/output/sge/[^']+\\.items' '--tasks-per-job' '2' '--master' 'local\\[2\\]' --index "\\$SGE_TASK_ID"$`));
  });

  it('runs the items of its lines of the list, skips one already done, exits 3 for a failing input', () => {
    const p = join(dir, 'items');
    makeProject(p, SPECS, { retries: 0 });
    const list = join(dir, 'items.list');
    writeFileSync(list, `${SPECS.map((s) => s.item).join('\n')}\n`);
    const task = (index: number): ReturnType<typeof voxelflow> => voxelflow('batch', 'run-item', p, '--list', list, '--index', String(index), '--tasks-per-job', '2', '--master', 'local[1]');
    const second = task(2);
    expect(second.code, second.err).toBe(0);
    expect(second.out.trim().split('\n')).toEqual(['batch run-item r3: done', 'batch run-item r4: done']);
    expect(ledger(p).filter((e) => e.event === 'start').map((e) => e.item)).toEqual(['r3', 'r4']);
    const again = task(2);
    expect(again.out.trim().split('\n')).toEqual(['batch run-item r3: already done', 'batch run-item r4: already done']);
    expect(ledger(p)).toHaveLength(4);
    writeFileSync(join(p, 'input', 'r5.npy'), readFileSync(join(p, 'input', 'r5.npy')).subarray(0, 100));
    const third = task(3);
    expect(third.code).toBe(3);
    expect(third.out.trim()).toBe('batch run-item r5: failed');
    expect(ledger(p).filter((e) => e.item === 'r5').map((e) => e.outcome ?? e.event)).toEqual(['start', 'failed']);
    const status = JSON.parse(voxelflow('batch', 'status', p, '--json').out) as { done: number; pending: number; failed: number };
    expect(status).toMatchObject({ done: 2, pending: 2, failed: 1 });
  });
});
