/** batch/: batch.json and manifest.csv checks (one line naming file, row and field), the ledger's counts, the status summary. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as batch from '../../batch/index.js';
import { csvField, histories, parseConfig, parseManifest, pipelineHash, summarize, type ItemStatus, type LedgerEvent } from '../../batch/index.js';

const abs = (p: string): string => (p.startsWith('/') ? p : `/project/${p}`);

describe('batch public API', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(batch).sort()).toMatchInlineSnapshot(`
      [
        "BatchProjectError",
        "DEFAULT_CONFIG",
        "ITEM_RECORD",
        "OUTPUT_FILES",
        "acquireLock",
        "appendLedger",
        "attemptItem",
        "collate",
        "collatedColumns",
        "collatedDir",
        "csvField",
        "doneRecord",
        "histories",
        "initProject",
        "isBatchProjectError",
        "itemDir",
        "itemKey",
        "itemStatuses",
        "ledgerFile",
        "liveLock",
        "loadProject",
        "lockFile",
        "oneLine",
        "outputDir",
        "parseConfig",
        "parseManifest",
        "pipelineHash",
        "readLedger",
        "removeLeftovers",
        "runBatch",
        "summarize",
        "workerName",
        "writeStatusFiles",
      ]
    `);
  });
});

describe('manifest.csv', () => {
  it('reads items, absolute inputs and metadata; quoted fields keep commas, quotes and line breaks', () => {
    const m = parseManifest('item,input,sample,note\r\na,x.npy,S1,"one, ""two""\nthree"\nb,/data/y.npy,S2,\n', 'manifest.csv', 'sample', abs, []);
    expect(m.columns).toEqual(['sample', 'note']);
    expect(m.items).toEqual([
      { item: 'a', input: '/project/x.npy', meta: { sample: 'S1', note: 'one, "two"\nthree' }, row: 1 },
      { item: 'b', input: '/data/y.npy', meta: { sample: 'S2', note: '' }, row: 2 },
    ]);
  });

  it.each([
    ['', /manifest\.csv: is empty/],
    ['id,input,sample\na,x,S\n', /header must start with item,input; got 'id,input'/],
    ['item,input,group\na,x,S\n', /header has no 'sample' column/],
    ['item,input,sample,sample\na,x,S,T\n', /header names column 'sample' twice/],
    ['item,input,sample,label\na,x,S,1\n', /column 'label' is also a column of the collated statistics/],
    ['item,input,sample\n', /has a header but no items/],
    ['item,input,sample\na,x,S\nb,y\n', /row 2: 2 fields, the header has 3/],
    ['item,input,sample\n../a,x,S\n', /row 1: field 'item' is '\.\.\/a'/],
    ['item,input,sample\na,x,S\na,y,S\n', /row 2: field 'item' 'a' is also row 1/],
    ['item,input,sample\na, ,S\n', /row 1: field 'input' is empty/],
    ['item,input,sample\na,"x,S\n', /row 1: a quoted field is never closed/],
  ])('refuses %j with one line naming the row and field', (text, expected) => {
    expect(() => parseManifest(text, 'manifest.csv', 'sample', abs, ['label'])).toThrow(expected);
  });

  it('csvField quotes only what needs it', () => {
    expect([csvField('plain'), csvField('a,b'), csvField('say "hi"')]).toEqual(['plain', '"a,b"', '"say ""hi"""']);
  });
});

describe('batch.json', () => {
  it('fills defaults and keeps the pipeline as written', () => {
    expect(parseConfig('{"pipeline": {"above": 7, "roi": [0,0,0,4,4,4]}}', 'batch.json')).toEqual({ pipeline: { above: 7, roi: [0, 0, 0, 4, 4, 4] }, outputs: ['stats'], retries: 2, sampleColumn: 'sample', lostLimit: 5 });
  });

  it.each([
    ['[1]', /must hold a JSON object/],
    ['{"pipeline": 3}', /field 'pipeline' must be an object/],
    ['{"pipeline": {"above": null}}', /field 'pipeline\.above' must be a number, string, boolean or array of numbers, got null/],
    ['{"outputs": []}', /field 'outputs' must list some of/],
    ['{"outputs": ["stats", "stats"]}', /field 'outputs' must list some of .* \(each once\)/],
    ['{"retries": 1.5}', /field 'retries' must be a whole number in 0\.\.1000, got 1\.5/],
    ['{"lostLimit": 0}', /field 'lostLimit' must be a whole number in 1\.\.1000, got 0/],
    ['{"sampleColumn": "item"}', /field 'sampleColumn' must name a manifest column other than item and input/],
    ['{"pipline": {}}', /field 'pipline' is not a batch option/],
  ])('refuses %s naming the field', (text, expected) => {
    expect(() => parseConfig(text, 'batch.json')).toThrow(expected);
  });

  it('hashes the pipeline whatever its key order; outputs and version change it', () => {
    const a = parseConfig('{"pipeline": {"above": 1, "box": 2}}', 'b');
    const b = parseConfig('{"pipeline": {"box": 2, "above": 1}}', 'b');
    expect(pipelineHash(a, '1.0.0')).toBe(pipelineHash(b, '1.0.0'));
    expect(pipelineHash(a, '1.0.1')).not.toBe(pipelineHash(a, '1.0.0'));
    expect(pipelineHash(parseConfig('{"pipeline": {"above": 1, "box": 2}, "outputs": ["stats", "labels"]}', 'b'), '1.0.0')).not.toBe(pipelineHash(a, '1.0.0'));
  });
});

describe('ledger', () => {
  const t = '2026-01-01T00:00:00Z';
  const start = (item: string, attempt: number): LedgerEvent => ({ item, attempt, event: 'start', worker: 'h:1', time: t, key: 'k' });
  const end = (item: string, attempt: number, outcome: 'done' | 'failed' | 'lost', key = 'k'): LedgerEvent => ({ item, attempt, event: 'end', outcome, worker: 'h:1', time: t, key, seconds: attempt, ...(outcome !== 'done' ? { error: `e${attempt}` } : {}) });

  it('counts failures under the current key since the last reset; lost attempts never count', () => {
    const events: LedgerEvent[] = [
      start('a', 1), end('a', 1, 'failed', 'old'),
      start('a', 2), end('a', 2, 'failed'),
      start('a', 3), end('a', 3, 'lost'),
      start('a', 4), end('a', 4, 'failed'),
      { item: 'a', attempt: 0, event: 'reset', worker: 'h:1', time: t },
      start('a', 5), end('a', 5, 'failed'),
      start('b', 1),
    ];
    const h = histories(events, () => 'k');
    expect(h.get('a')).toEqual({ starts: 5, failures: 1, lastError: 'e5', open: null, lastSeconds: 5 });
    expect(h.get('b')).toEqual({ starts: 1, failures: 0, lastError: null, open: { attempt: 1, worker: 'h:1', time: t }, lastSeconds: null });
  });
});

describe('status summary', () => {
  it('median, ETA over the items run at once, and the slowest items first', () => {
    const s = (item: string, state: ItemStatus['state'], seconds: number | null): ItemStatus => ({ item, input: '', state, attempts: 1, seconds, error: null });
    const sum = summarize([s('a', 'done', 1), s('b', 'done', 3), s('c', 'done', 2), s('d', 'pending', null), s('e', 'running', null), s('f', 'failed', 9)], 2);
    expect(sum).toEqual({ total: 6, done: 3, running: 1, pending: 1, failed: 1, medianSeconds: 2, etaSeconds: 2, slowest: [{ item: 'b', seconds: 3 }, { item: 'c', seconds: 2 }, { item: 'a', seconds: 1 }] });
  });
});

describe('lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-batch-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a second acquire in a live process is refused naming the pid; release frees it', () => {
    const project = { dir, config: batch.DEFAULT_CONFIG, columns: [], items: [], pipelineHash: '' };
    const release = batch.acquireLock(project, 2);
    expect(() => batch.acquireLock(project, 1)).toThrow(new RegExp(`batch\\.lock: a batch run \\(pid ${process.pid} on `));
    expect(batch.liveLock(project)).toMatchObject({ pid: process.pid, parallel: 2 });
    release();
    expect(batch.liveLock(project)).toBeNull();
    batch.acquireLock(project, 1)();
  });
});

describe('leftovers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-batch-leftovers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a task's cleanup removes its own item's staging folders only, even when another item's id extends its id", () => {
    const items = ['a', 'a.b'].map((item, i) => ({ item, input: join(dir, `${item}.npy`), meta: {}, row: i + 1 }));
    const project = { dir, config: batch.DEFAULT_CONFIG, columns: [], items, pipelineHash: 'h' };
    const folders = ['.staging-a.1.100', '.staging-a.old.100', '.staging-a.b.1.100', '.staging-a.b.old.7', 'a', 'a.b'];
    for (const f of folders) mkdirSync(join(dir, 'output', 'items', f), { recursive: true });
    expect(batch.removeLeftovers(project, items[0])).toBe(3);
    expect(readdirSync(join(dir, 'output', 'items')).sort()).toEqual(['.staging-a.b.1.100', '.staging-a.b.old.7', 'a.b']);
    expect(batch.removeLeftovers(project)).toBe(3);
    expect(readdirSync(join(dir, 'output', 'items'))).toEqual([]);
  });
});

describe('runBatch attempts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vf-batch-attempts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A project of two items whose runner is given; each done attempt writes a stats.csv. */
  function project(name: string): batch.Project {
    const p = join(dir, name);
    mkdirSync(p);
    writeFileSync(join(p, 'batch.json'), JSON.stringify({ pipeline: { above: 1 }, retries: 1, lostLimit: 3 }));
    writeFileSync(join(p, 'manifest.csv'), 'item,input,sample\nx,x.bin,S\ny,y.bin,S\n');
    for (const f of ['x.bin', 'y.bin']) writeFileSync(join(p, f), f);
    return batch.loadProject(p, '0.0.0', ['label']);
  }
  const done = (staging: string): batch.ItemResult => (writeFileSync(join(staging, 'stats.csv'), 'label\n'), { outcome: 'done' });

  it('a lost attempt uses none: lost, lost, done is one item done with no failure', async () => {
    const p = project('lost-then-done');
    const tries = new Map<string, number>();
    const report = await batch.runBatch(p, 2, async () => ({
      runItem: async (item, staging) => {
        const n = (tries.get(item.item) ?? 0) + 1;
        tries.set(item.item, n);
        return item.item === 'x' && n <= 2 ? { outcome: 'lost', error: 'worker lost' } : done(staging);
      },
      close: async () => {},
    }));
    expect(report.statuses.map((s) => [s.item, s.state, s.attempts])).toEqual([['x', 'done', 1], ['y', 'done', 1]]);
    expect(batch.readLedger(p).filter((e) => e.item === 'x' && e.event === 'end').map((e) => (e.event === 'end' ? e.outcome : ''))).toEqual(['lost', 'lost', 'done']);
  });

  it('an item lost lostLimit times stays pending and is reported; failures stop at retries + 1', async () => {
    const p = project('broken');
    const report = await batch.runBatch(p, 1, async () => ({
      runItem: async (item) => (item.item === 'x' ? { outcome: 'lost', error: 'no executors' } : { outcome: 'failed', error: 'bad input' }),
      close: async () => {},
    }));
    expect(report.lost).toEqual(['x']);
    expect(report.statuses.map((s) => [s.item, s.state, s.attempts, s.error])).toEqual([['x', 'pending', 0, null], ['y', 'failed', 2, 'bad input']]);
    expect(report.attempts).toBe(3 + 2);
    expect(readFileSync(join(p.dir, 'output', 'failed.jsonl'), 'utf8')).toBe(`${JSON.stringify({ item: 'y', input: join(p.dir, 'y.bin'), error: 'bad input', attempts: 2 })}\n`);
  });

  it('a runner that throws is a failed attempt with its first line; nothing is left in staging', async () => {
    const p = project('throws');
    const report = await batch.runBatch(p, 2, async () => ({
      runItem: async () => {
        throw new Error('boom\n  at somewhere');
      },
      close: async () => {},
    }));
    expect(report.statuses.map((s) => s.error)).toEqual(['boom', 'boom']);
    expect(readdirSync(join(p.dir, 'output', 'items'))).toEqual([]);
  });
});
