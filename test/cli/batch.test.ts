/**
 * `voxelflow batch` as a user runs it (issue 17): real processes, synthetic images. The collated table
 * equals the items' own `analyze --stats` outputs; a SIGKILLed driver's rerun redoes nothing done; a
 * truncated image fails alone after retries + 1 attempts and retry-failed completes the batch; a
 * second concurrent run is refused; an item with other columns fails collation naming it; a bad
 * batch.json or manifest row is one line.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import { ledger, makeProject, startVoxelflow, until, writeBlobs, type Spec } from '../batch/batch-fixture.js';
import { cliSandbox } from './cli-sandbox.js';

const { dir, voxelflow } = cliSandbox('vf-batch-');

const SPECS: Spec[] = [
  { item: 'a1', sample: 'A', n: 24, seed: 1 },
  { item: 'a2', sample: 'A', n: 24, seed: 2 },
  { item: 'b1', sample: 'B', n: 32, seed: 3 },
  { item: 'b2', sample: 'B', n: 24, seed: 4 },
];

/** The collated CSV built from each item's own `voxelflow analyze --stats` run. */
function expectedCollation(project: string, specs: readonly Spec[]): string {
  let header = '';
  const rows: string[] = [];
  for (const s of specs) {
    const r = voxelflow('analyze', join(project, 'input', `${s.item}.npy`), '--above', '500', '--box', '1', '--connectivity', '26', '--stats', join(project, `${s.item}.own.csv`), '--quiet');
    expect(r.code, r.err).toBe(0);
    const [head, ...lines] = readFileSync(join(project, `${s.item}.own.csv`), 'utf8').trim().split('\n');
    header = `item,sample,site,${head as string}`;
    for (const l of lines) rows.push(`${s.item},${s.sample},"site, ${s.seed % 2}",${l}`);
  }
  return `${[header, ...rows].join('\n')}\n`;
}

const collated = (project: string): string => readFileSync(join(project, 'output', 'collated', 'stats.csv'), 'utf8');
const mtimes = (project: string, items: readonly string[]): number[] => items.flatMap((i) => ['item.json', 'stats.csv'].map((f) => statSync(join(project, 'output', 'items', i, f)).mtimeMs));

describe('voxelflow batch', () => {
  it('init writes batch.json and a manifest with samples from the file names', () => {
    const p = join(dir, 'init');
    makeProject(join(dir, 'init-src'), SPECS);
    const r = voxelflow('batch', 'init', p, '--input', join(dir, 'init-src', 'input', '*.npy'), '--sample', '^([ab])');
    expect(r.code, r.err).toBe(0);
    const manifest = readFileSync(join(p, 'manifest.csv'), 'utf8').trim().split('\n');
    expect(manifest[0]).toBe('item,input,sample');
    expect(manifest.slice(1).map((l) => [l.split(',')[0], l.split(',')[2]])).toEqual([['a1', 'a'], ['a2', 'a'], ['b1', 'b'], ['b2', 'b']]);
    expect(JSON.parse(readFileSync(join(p, 'batch.json'), 'utf8'))).toMatchObject({ outputs: ['stats'], retries: 2, sampleColumn: 'sample' });
    // A folder: its files and .zarr folders (an image each), not other folders or hidden files.
    const mixed = join(dir, 'init-mixed');
    mkdirSync(join(mixed, 'images', 'b.zarr'), { recursive: true });
    mkdirSync(join(mixed, 'images', 'notes'));
    writeFileSync(join(mixed, 'images', 'a.tif'), '');
    writeFileSync(join(mixed, 'images', '.DS_Store'), '');
    expect(voxelflow('batch', 'init', mixed, '--input', join(mixed, 'images')).code).toBe(0);
    expect(readFileSync(join(mixed, 'manifest.csv'), 'utf8')).toBe('item,input,sample\na,images/a.tif,images\nb,images/b.zarr,images\n');
    const none = voxelflow('batch', 'init', join(dir, 'init-none'), '--input', join(mixed, 'images', '*.npy'));
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--input .*\*\.npy: no image matches; give the images as a folder or a glob/);
    writeFileSync(join(p, 'batch.json'), '{ "pipeline": { "above": 7 } }\n');
    const again = voxelflow('batch', 'init', p, '--input', join(dir, 'init-src', 'input', '*.npy'));
    expect(again.code).toBe(2);
    expect(again.err.trim().split('\n')).toEqual([`voxelflow batch: ${join(p, 'batch.json')}: already exists; edit it, pass --overwrite to write the defaults again, or remove it to start again`]);
    expect(readFileSync(join(p, 'batch.json'), 'utf8')).toBe('{ "pipeline": { "above": 7 } }\n');
    // --overwrite writes the defaults and the manifest again, through temporary names that do not stay.
    const replaced = voxelflow('batch', 'init', p, '--input', join(dir, 'init-src', 'input', 'a*.npy'), '--overwrite');
    expect(replaced.code, replaced.err).toBe(0);
    expect(JSON.parse(readFileSync(join(p, 'batch.json'), 'utf8'))).toMatchObject({ outputs: ['stats'], retries: 2 });
    expect(readFileSync(join(p, 'manifest.csv'), 'utf8').trim().split('\n').map((l) => l.split(',')[0])).toEqual(['item', 'a1', 'a2']);
    expect(readdirSync(p).sort()).toEqual(['batch.json', 'manifest.csv']);
  });

  it("collates every item's analyze --stats rows, item and sample in front, as CSV and Arrow; a second run attempts nothing", async () => {
    const p = join(dir, 'whole');
    makeProject(p, SPECS);
    const r = voxelflow('batch', 'run', p, '--master', 'local[2]', '--parallel', '2');
    expect(r.code, r.err).toBe(0);
    expect(collated(p)).toBe(expectedCollation(p, SPECS));
    const status = readFileSync(join(p, 'output', 'status.csv'), 'utf8').trim().split('\n');
    expect(status.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(SPECS.map((s) => `${s.item},done,1`));
    expect(readFileSync(join(p, 'output', 'failed.jsonl'), 'utf8')).toBe('');
    const ctx = await Context.create({ master: 'local[1]' });
    try {
      const t = ctx.readArrow(join(p, 'output', 'collated', 'stats.arrow'));
      const rows = await t.take(1000);
      const csvRows = collated(p).trim().split('\n').slice(1);
      expect(rows.length).toBe(csvRows.length);
      expect(rows.map((row) => [row['item'], row['sample'], row['site'], row['label'], row['voxels']])).toEqual(
        csvRows.map((l) => {
          const [item, sample, s1, s2, label, voxels] = l.split(',');
          return [item, sample, `${s1},${s2}`.replace(/"/g, ''), Number(label), Number(voxels)];
        }),
      );
    } finally {
      await ctx.stop();
    }
    const before = ledger(p).length;
    const times = mtimes(p, SPECS.map((s) => s.item));
    const second = voxelflow('batch', 'run', p, '--master', 'local[2]');
    expect(second.code, second.err).toBe(0);
    expect(ledger(p).length).toBe(before);
    expect(mtimes(p, SPECS.map((s) => s.item))).toEqual(times);
    const described = voxelflow('table', 'describe', join(p, 'output', 'collated', 'stats.arrow'), '--by', 'sample', '--columns', 'voxels', '--json');
    expect(described.code, described.err).toBe(0);
    expect((JSON.parse(described.out) as { rows: number }).rows).toBe(collated(p).trim().split('\n').length - 1);
  });

  it('reruns every item when the pipeline changes, and only a replaced input otherwise', () => {
    const p = join(dir, 'changes');
    makeProject(p, SPECS);
    const json = voxelflow('batch', 'run', p, '--master', 'local[1]', '--json');
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ items: 4, done: 4, failed: 0, pending: 0, queued: 4, attempts: 4, collated: { csv: 'changes/output/collated/stats.csv' } });
    const progress = json.err.trim().split('\n').map((l) => JSON.parse(l) as { event: string; done: number; total: number });
    expect(progress.every((l) => l.event === 'batch' && l.total === 4)).toBe(true);
    expect(progress.map((l) => l.done).at(-1)).toBe(4);
    writeBlobs(join(p, 'input', 'a2.npy'), 24, 9);
    expect(voxelflow('batch', 'run', p, '--master', 'local[1]').code).toBe(0);
    const starts = (): string[] => ledger(p).filter((e) => e.event === 'start').map((e) => e.item);
    expect(starts()).toEqual([...SPECS.map((s) => s.item), 'a2']);
    const config = JSON.parse(readFileSync(join(p, 'batch.json'), 'utf8')) as { pipeline: Record<string, unknown> };
    config.pipeline['above'] = 600;
    writeFileSync(join(p, 'batch.json'), JSON.stringify(config));
    expect(voxelflow('batch', 'run', p, '--master', 'local[1]').code).toBe(0);
    expect(starts()).toEqual([...SPECS.map((s) => s.item), 'a2', ...SPECS.map((s) => s.item)]);
    // A run with work to do removes the old collated table first: with an item failing now, none is left.
    writeFileSync(join(p, 'input', 'b2.npy'), 'not an image');
    expect(voxelflow('batch', 'run', p, '--master', 'local[1]').code).toBe(3);
    expect(existsSync(join(p, 'output', 'collated'))).toBe(false);
  });

  it('a SIGKILLed run leaves nothing half-done; the rerun redoes no done item and collates the same table', async () => {
    const specs: Spec[] = Array.from({ length: 12 }, (_, i) => ({ item: `k${String(i).padStart(2, '0')}`, sample: i % 2 === 0 ? 'E' : 'O', n: i < 3 ? 24 : 80, seed: i + 1 }));
    const p = join(dir, 'killed');
    makeProject(p, specs);
    cpSync(p, join(dir, 'uninterrupted'), { recursive: true });
    const run = startVoxelflow(dir, 'batch', 'run', p, '--master', 'local[1]', '--parallel', '1');
    await until(() => ledger(p).filter((e) => e.outcome === 'done').length >= 2);
    run.child.kill('SIGKILL');
    expect((await run.exit).signal).toBe('SIGKILL');
    const doneBefore = [...new Set(ledger(p).filter((e) => e.outcome === 'done').map((e) => e.item))];
    expect(doneBefore.length).toBeLessThan(specs.length);
    const times = mtimes(p, doneBefore);
    const again = voxelflow('batch', 'run', p, '--master', 'local[1]');
    expect(again.code, again.err).toBe(0);
    for (const item of doneBefore) expect(ledger(p).filter((e) => e.item === item && e.event === 'start').length).toBe(1);
    expect(mtimes(p, doneBefore)).toEqual(times);
    expect(readdirSync(join(p, 'output', 'items')).sort()).toEqual(specs.map((s) => s.item));
    expect(existsSync(join(p, 'output', 'batch.lock'))).toBe(false);
    const whole = voxelflow('batch', 'run', join(dir, 'uninterrupted'), '--master', 'local[1]');
    expect(whole.code, whole.err).toBe(0);
    expect(collated(p)).toBe(collated(join(dir, 'uninterrupted')));
  });

  it('a truncated image fails alone after retries + 1 attempts (exit 3); once replaced, retry-failed completes the batch', () => {
    const p = join(dir, 'truncated');
    makeProject(p, SPECS, { retries: 2 });
    const file = join(p, 'input', 'b1.npy');
    writeFileSync(file, readFileSync(file).subarray(0, 1000));
    const r = voxelflow('batch', 'run', p, '--master', 'local[2]');
    expect(r.code, r.err).toBe(3);
    const failed = readFileSync(join(p, 'output', 'failed.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(failed).toEqual([{ item: 'b1', input: file, error: expect.stringMatching(/b1\.npy: truncated: .* but the file has 1000 bytes/) as unknown, attempts: 3 }]);
    expect(ledger(p).filter((e) => e.item === 'b1' && e.event === 'end').map((e) => e.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(existsSync(join(p, 'output', 'collated', 'stats.csv'))).toBe(false);
    const refused = voxelflow('batch', 'collate', p);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/not collated: 1 failed \(first: b1\).*--partial/);
    expect(voxelflow('batch', 'collate', p, '--partial').code).toBe(0);
    expect(collated(p)).not.toMatch(/^b1,/m);
    writeBlobs(file, 32, 3);
    const retried = voxelflow('batch', 'retry-failed', p, '--master', 'local[2]');
    expect(retried.code, retried.err).toBe(0);
    expect(collated(p)).toBe(expectedCollation(p, SPECS));
    expect(readFileSync(join(p, 'output', 'failed.jsonl'), 'utf8')).toBe('');
  });

  it('refuses a second concurrent run, naming the pid and host; status shows the run from the ledger; takes over a lock whose process is gone', async () => {
    const p = join(dir, 'locked');
    // Items large enough that the first run is still working when it is stopped.
    makeProject(p, Array.from({ length: 6 }, (_, i) => ({ item: `l${i}`, sample: 'L', n: 80, seed: i + 1 })));
    const first = startVoxelflow(dir, 'batch', 'run', p, '--master', 'local[1]', '--parallel', '1');
    await until(() => ledger(p).some((e) => e.event === 'start'));
    first.child.kill('SIGSTOP');
    try {
      const second = voxelflow('batch', 'run', p, '--master', 'local[1]');
      expect(second.code).toBe(2);
      expect(second.err.trim().split('\n')).toHaveLength(1);
      expect(second.err).toContain(`a batch run (pid ${first.child.pid} on ${hostname()}`);
      // Status during the run, from the ledger: the attempt started and not ended is running.
      const events = ledger(p);
      const open = events.filter((e) => e.event === 'start').length - events.filter((e) => e.event === 'end').length;
      const status = voxelflow('batch', 'status', p, '--json');
      expect(status.code, status.err).toBe(0);
      const s = JSON.parse(status.out) as { total: number; done: number; running: number; pending: number; failed: number; runningSince: string | null; items: { item: string; state: string }[] };
      expect(s).toMatchObject({ total: 6, running: open, failed: 0, done: events.filter((e) => e.outcome === 'done').length });
      expect(s.pending).toBe(6 - s.done - s.running);
      expect(s.runningSince).not.toBeNull();
    } finally {
      first.child.kill('SIGCONT');
    }
    expect((await first.exit).code).toBe(0);
    const gone = startVoxelflow(dir, 'batch', 'status', p);
    const { code } = await gone.exit;
    expect(code).toBe(0);
    writeFileSync(join(p, 'output', 'batch.lock'), `${JSON.stringify({ pid: gone.child.pid, host: hostname(), started: new Date().toISOString(), parallel: 1 })}\n`);
    const after = voxelflow('batch', 'run', p, '--master', 'local[1]');
    expect(after.code, after.err).toBe(0);
  });

  it('an item whose stats columns differ fails collation naming that item', () => {
    const p = join(dir, 'columns');
    makeProject(p, SPECS);
    expect(voxelflow('batch', 'run', p, '--master', 'local[1]').code).toBe(0);
    // Same size, other column (voxels -> volume): the item still counts as done.
    const stats = join(p, 'output', 'items', 'b1', 'stats.csv');
    writeFileSync(stats, readFileSync(stats, 'utf8').replace('label,voxels,', 'label,volume,'));
    const r = voxelflow('batch', 'collate', p);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/item 'b1' has columns 'label,volume,.*', the pipeline's are 'label,voxels,/);
    expect(existsSync(join(p, 'output', 'collated'))).toBe(false);
  });

  it('a bad flag is one line naming it (exit 2), and leaves no lock behind', () => {
    const p = join(dir, 'flags');
    makeProject(p, SPECS);
    const cases: [string[], RegExp][] = [
      [['--master', 'foo'], /^voxelflow batch: --master: unknown master 'foo'/],
      [['--parallel', '0'], /^voxelflow batch: --parallel must be a whole number in 1\.\.1024, got '0'$/],
      [['--workers', '2'], /^voxelflow batch: --workers needs --master sge$/],
      [['--frobnicate'], /^voxelflow batch: Unknown option '--frobnicate'; run 'voxelflow batch run --help'$/],
    ];
    for (const [flags, expected] of cases) {
      const r = voxelflow('batch', 'run', p, ...flags);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
      expect(r.err.trim()).toMatch(expected);
      expect(existsSync(join(p, 'output', 'batch.lock'))).toBe(false);
    }
  });

  it('a bad batch.json or manifest row is one line naming the file, row and field (exit 2)', () => {
    const p = join(dir, 'bad');
    makeProject(p, SPECS);
    const cases: [string, string, RegExp][] = [
      ['batch.json', '{"pipeline": {"above": "high"}}', /batch\.json: field 'pipeline\.above': --above must be a number, got 'high'$/],
      ['batch.json', '{"pipeline": {"above": 1}, "retries": -1}', /batch\.json: field 'retries' must be a whole number in 0\.\.1000, got -1$/],
      ['batch.json', '{"pipeline": {"above": 1}, "output": ["stats"]}', /batch\.json: field 'output' is not a batch option/],
      ['manifest.csv', 'item,input,sample\na1,input/a1.npy\n', /manifest\.csv: row 1: 2 fields, the header has 3$/],
      ['manifest.csv', 'item,input,sample\na1,,A\n', /manifest\.csv: row 1: field 'input' is empty/],
      ['manifest.csv', 'item,input,group\na1,input/a1.npy,A\n', /manifest\.csv: header has no 'sample' column/],
    ];
    const good = { 'batch.json': readFileSync(join(p, 'batch.json'), 'utf8'), 'manifest.csv': readFileSync(join(p, 'manifest.csv'), 'utf8') };
    for (const [file, text, expected] of cases) {
      writeFileSync(join(p, 'batch.json'), good['batch.json']);
      writeFileSync(join(p, 'manifest.csv'), good['manifest.csv']);
      writeFileSync(join(p, file), text);
      const r = voxelflow('batch', 'run', p, '--master', 'local[1]');
      expect(r.code, `${file} ${text}`).toBe(2);
      const lines = r.err.trim().split('\n');
      expect(lines, r.err).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
      expect(existsSync(join(p, 'output', 'ledger.jsonl'))).toBe(false);
    }
  });
});
