/**
 * The dashboard's batch view (`voxelflow batch run --ui-port`): /api/v1/batch lists every item with its
 * state while a real batch runs on the dashboard's context, and the page shows them in Chromium
 * (skipped, saying so, when Chromium is absent).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Context, type BatchRow } from '../../index.js';
import { loadProject, runBatch } from '../../batch/index.js';
import { VERSION } from '../../cluster/package-info.js';
import { itemRunner, STATS_COLUMNS } from '../../cli/batch-item.js';
import { batchView } from '../../cli/batch-run.js';
import { makeProject, type Spec } from '../batch/batch-fixture.js';
import { skipName } from '../helpers/skip.js';

const CHROMIUM = process.env['VOXELFLOW_CHROMIUM'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const dir = mkdtempSync(join(tmpdir(), 'vf-dashboard-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPECS: Spec[] = [
  { item: 'd1', sample: 'S', n: 24, seed: 1 },
  { item: 'd2', sample: 'S', n: 24, seed: 2 },
  { item: 'd3', sample: 'T', n: 24, seed: 3 },
];

async function batchApi(ctx: Context): Promise<BatchRow | null> {
  return (await (await fetch(`${ctx.ui?.url as string}api/v1/batch`)).json()) as BatchRow | null;
}

describe('dashboard batch view', () => {
  it('/api/v1/batch is null without a batch, then lists every item as it runs and ends', async () => {
    const p = join(dir, 'api');
    makeProject(p, SPECS);
    const project = loadProject(p, VERSION, STATS_COLUMNS);
    const ctx = await Context.create({ master: 'local[2]', ui: { port: 0 } });
    try {
      expect(await batchApi(ctx)).toBeNull();
      ctx.ui?.showBatch(() => batchView(project, 2));
      expect(await batchApi(ctx)).toMatchObject({ project: 'api', total: 3, done: 0, pending: 3, items: [{ item: 'd1', sample: 'S', state: 'pending' }, { item: 'd2', state: 'pending' }, { item: 'd3', sample: 'T', state: 'pending' }] });
      // What the page would read as each item starts (its attempt is in the ledger, its pipeline not yet run).
      const seen: string[] = [];
      const run = itemRunner(ctx, project);
      await runBatch(project, 1, async () => ({
        runItem: async (item, staging) => {
          seen.push(((await batchApi(ctx))?.items ?? []).map((i) => i.state).join(','));
          return run(item, staging);
        },
        close: async () => {},
      }));
      expect(seen).toEqual(['running,pending,pending', 'done,running,pending', 'done,done,running']);
      expect(await batchApi(ctx)).toMatchObject({ total: 3, done: 3, running: 0, pending: 0, failed: 0, items: SPECS.map((s) => ({ item: s.item, state: 'done', attempts: 1 })) });
    } finally {
      await ctx.stop();
    }
  });

  it.skipIf(!hasChromium)(skipName('shows the items and their states in Chromium', hasChromium ? null : `Chromium is absent (${CHROMIUM}); apt-get install chromium (.ci/run does)`), async () => {
    const p = join(dir, 'page');
    makeProject(p, SPECS);
    const project = loadProject(p, VERSION, STATS_COLUMNS);
    const ctx = await Context.create({ master: 'local[2]', ui: { port: 0 } });
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(ctx.ui?.url as string);
      await page.locator('#live[data-state="live"]').waitFor();
      expect(await page.locator('#batch-section').isHidden()).toBe(true);
      ctx.ui?.showBatch(() => batchView(project, 2));
      await runBatch(project, 2, async () => ({ runItem: itemRunner(ctx, project), close: async () => {} }), { itemEnded: () => ctx.ui?.batchChanged() });
      await page.locator('#batch tbody tr[data-state="done"]').nth(2).waitFor({ timeout: 10_000 });
      expect(await page.locator('#batch-summary').innerText()).toMatch(/^page:\s+3\/3 done · 0 running · 0 pending · 0 failed · finished$/);
      expect(await page.locator('#batch tbody tr[data-item="d3"]').innerText()).toMatch(/d3\s+T\s+done\s+1/);
    } finally {
      await browser.close();
      await ctx.stop();
    }
  });
});
