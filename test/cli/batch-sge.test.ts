/**
 * `voxelflow batch submit --sge` against a real Grid Engine (scripts/start-sge.sh; .ci/run starts it):
 * the items as one array job and a collation job held on it. One task exits 99 after its item is done
 * (as a task whose node was lost would): Grid Engine requeues it and the requeued task does nothing;
 * every item is in the collated table once. Submitting a finished batch submits nothing.
 * Skipped, naming Grid Engine, where qsub is absent.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledger, makeProject, until, type Spec } from '../batch/batch-fixture.js';
import { cliSandbox } from './cli-sandbox.js';

const hasSge = spawnSync('qsub', ['-help'], { encoding: 'utf8' }).error === undefined;
const { dir, voxelflow } = cliSandbox('vf-batch-sge-');

const SPECS: Spec[] = Array.from({ length: 5 }, (_, i) => ({ item: `t${i + 1}`, sample: i < 3 ? 'P' : 'Q', n: 24, seed: i + 11 }));

function jobsNamed(prefix: string): string[] {
  const r = spawnSync('qstat', ['-xml'], { encoding: 'utf8' });
  return [...r.stdout.matchAll(/<JB_name>([^<]+)<\/JB_name>/g)].map((m) => m[1] as string).filter((n) => n.startsWith(prefix));
}

describe.skipIf(!hasSge)('batch submit --sge (real Grid Engine; skipped when qsub is absent)', () => {
  it('an array batch with one task requeued by exit 99 completes with each item once; resubmitting submits nothing', async () => {
    const p = join(dir, 'sgeproj');
    makeProject(p, SPECS);
    const local = join(dir, 'localproj');
    makeProject(local, SPECS);
    expect(voxelflow('batch', 'run', local, '--master', 'local[1]').code).toBe(0);
    // The node binary the tasks exec: node itself, then, once, for task 2, exit 99 after the item is done.
    const marker = join(dir, 'task-2-lost');
    const wrapper = join(dir, 'node-losing-task-2.sh');
    writeFileSync(wrapper, `#!/bin/sh\n'${process.execPath}' "$@"; rc=$?\nif [ "$SGE_TASK_ID" = 2 ] && [ ! -e '${marker}' ]; then touch '${marker}'; exit 99; fi\nexit $rc\n`);
    chmodSync(wrapper, 0o755);
    const r = voxelflow('batch', 'submit', p, '--sge', '--max-running', '2', '--node', wrapper);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/5 items as array job \d+ \(5 tasks, at most 2 at once\); collation job \d+ runs after it/);
    await until(() => existsSync(join(p, 'output', 'collated', 'stats.csv')) && jobsNamed('vf-batch-sgeproj').length === 0);
    expect(existsSync(marker)).toBe(true);
    expect(readFileSync(join(p, 'output', 'collated', 'stats.csv'), 'utf8')).toBe(readFileSync(join(local, 'output', 'collated', 'stats.csv'), 'utf8'));
    for (const s of SPECS) expect(ledger(p).filter((e) => e.item === s.item && e.event === 'start')).toHaveLength(1);
    const logs = readdirSync(join(p, 'output', 'sge', 'logs'));
    const task2 = logs.find((l) => /^vf-batch-sgeproj\.\d+\.2\.log$/.test(l)) as string;
    expect(readFileSync(join(p, 'output', 'sge', 'logs', task2), 'utf8')).toMatch(/batch run-item t2: done[\s\S]*batch run-item t2: already done/);
    const again = voxelflow('batch', 'submit', p, '--sge');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/nothing to submit: 5 of 5 items done/);
    expect(jobsNamed('vf-batch-sgeproj')).toEqual([]);
  }, 120_000);
});
