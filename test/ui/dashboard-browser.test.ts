/**
 * The dashboard in a real browser: Debian's Chromium (/usr/bin/chromium, installed by .ci/run)
 * driven by playwright-core. Skipped, saying so, when Chromium is absent.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '../../index.js';
import { skipName } from '../helpers/skip.js';

const CHROMIUM = process.env['VOXELFLOW_CHROMIUM'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
/** Generous: the page refetches within 200 ms, but CI machines are busy. */
const POLL = { timeout: 10_000, interval: 50 };
/** The parts of the page's DOM nodes the callbacks read; they run in the browser, and the tests compile without the DOM lib. */
interface BrowserImage { readonly complete: boolean; readonly naturalWidth: number }
interface BrowserElement { readonly dataset: Readonly<Record<string, string | undefined>> }
describe.skipIf(!hasChromium)(skipName('dashboard in Chromium', hasChromium ? null : `Chromium is absent (${CHROMIUM}); apt-get install chromium (.ci/run does)`), () => {
  let ctx: Context;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ctx = await Context.create({ master: 'local[2]', ui: { port: 0 } });
    const img = ctx.images.synthetic({ kind: 'blobs', shape: [24, 48, 48], seed: 11, blockShape: [12, 24, 24] });
    const labels = img.threshold({ above: 500 }).labelComponents();
    await labels.componentCount();
    ctx.ui?.showPreview('labels z=12', (await img.slice(12)).withLabels(await labels.slice(12)));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--disable-sync', '--no-first-run', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(ctx.ui?.url as string);
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  it('shows the jobs, their stages, the executor and the image preview', async () => {
    await page.locator('#live[data-state="live"]').waitFor();
    const jobs = page.locator('#jobs tbody tr');
    await expect.poll(() => jobs.count(), POLL).toBeGreaterThan(2);
    await expect.poll(() => page.locator('#jobs tbody tr[data-status="succeeded"]').count(), POLL).toBe(await jobs.count());
    await expect.poll(() => page.locator('#stages tbody tr').count(), POLL).toBeGreaterThan(await jobs.count());
    expect(await page.locator('#executors tbody tr').first().innerText()).toMatch(/active\s+2/);
    const img = page.locator('#previews figure img[alt="labels z=12"]');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el: BrowserImage) => el.complete && el.naturalWidth), POLL).toBe(48);
  });

  it('shows a job run while the page is open, and a replaced preview, without a reload', async () => {
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    const before = await page.locator('#jobs tbody tr').count();
    const oldVersion = Number(await page.locator('#previews figure').first().getAttribute('data-version'));
    await ctx.range(0, 1000, 1, 4).map((x) => [x % 7, x] as [number, number]).reduceByKey((a, b) => a + b).count();
    const newest = (ctx.ui?.state.jobList()[0]?.jobId) as number;
    const row = page.locator(`#jobs tbody tr[data-job-id="${newest}"][data-status="succeeded"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await page.locator('#jobs tbody tr').count()).toBe(before + 1);
    expect(await row.innerText()).toMatch(/8\/8/);
    await expect.poll(() => page.locator(`#stages tbody tr[data-job-id="${newest}"]`).count(), POLL).toBe(2);

    const img = ctx.images.synthetic({ kind: 'blobs', shape: [24, 48, 48], seed: 11, blockShape: [12, 24, 24] });
    ctx.ui?.showPreview('labels z=12', await img.mip('z'));
    await expect.poll(async () => Number(await page.locator('#previews figure').first().getAttribute('data-version')), POLL).toBeGreaterThan(oldVersion);
    expect(navigations).toEqual([]);
  });

  it('filters the task table by a clicked stage', async () => {
    const stage = page.locator('#stages tbody tr').first();
    const stageId = await stage.getAttribute('data-stage-id');
    await stage.click();
    await expect.poll(async () => {
      const ids = await page.locator('#tasks tbody tr').evaluateAll((rows: BrowserElement[]) => rows.map((r) => r.dataset['stageId']));
      return ids.length > 0 && ids.every((id) => id === stageId);
    }, POLL).toBe(true);
  });

  it('renders without script errors and saves a screenshot', async () => {
    // Kept after the run (the temp folder is printed) for a look at what the test saw.
    const file = join(mkdtempSync(join(tmpdir(), 'voxelflow-ui-test-')), 'dashboard.png');
    await page.screenshot({ path: file, fullPage: true });
    console.log(`dashboard screenshot: ${file}`);
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(pageErrors).toEqual([]);
  });
});
