/**
 * `batch run`: every item that is neither done nor failed, `parallel` at a time, each attempt
 * recorded in the ledger and staged before it is committed. An error the input causes uses an
 * attempt (up to retries + 1); a lost worker, connection or requeue does not, up to `lostLimit` per
 * item in one run, so that a broken cluster cannot loop forever. The caller supplies what runs an item
 * (an analyze pipeline on its context), opened only when there is work to do.
 */
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { collatedDir } from './collate.js';
import { commitItem, inputStamp, itemKey, removeLeftovers, stagingDir, workerName } from './item-record.js';
import { appendLedger, histories, readLedger, type ItemHistory, type LedgerEvent, type Outcome } from './ledger.js';
import { acquireLock, isProcessAlive } from './lock.js';
import type { ManifestItem } from './manifest.js';
import type { Project } from './project.js';
import { itemStatuses, writeStatusFiles, type ItemStatus } from './status.js';

/** What one attempt at an item came to; `error` is one line. */
export type ItemResult = { readonly outcome: 'done' } | { readonly outcome: 'failed' | 'lost'; readonly error: string };

/** Runs the pipeline on one item, writing its outputs into `staging`. Throwing counts as 'failed'. */
export type ItemRunner = (item: ManifestItem, staging: string) => Promise<ItemResult>;

/** Opens the runner (a context, a cluster); `close` is called once all items ended. */
export type OpenRunner = () => Promise<{ readonly runItem: ItemRunner; readonly close: () => Promise<void> }>;

export interface RunEvents {
  /** The run found `queued` items to work on (of the project's `total`), before any is attempted. */
  readonly queued?: (queued: number, total: number) => void;
  /** An item ended all its attempts in this run: done, failed (attempts used up) or lost (lostLimit reached). */
  readonly itemEnded?: (item: string, outcome: Outcome, seconds: number) => void;
  /** This run started working on an item (its first attempt in this run). */
  readonly itemStarted?: (item: string) => void;
}

export interface RunReport {
  /** Items this run worked on (neither done nor failed before it). */
  readonly queued: number;
  /** Attempts started by this run. */
  readonly attempts: number;
  /** Items that reached lostLimit: still pending. */
  readonly lost: readonly string[];
  readonly statuses: readonly ItemStatus[];
  /** Folders removed first: staging folders of a killed run, item folders whose item.json no longer matches. */
  readonly removed: number;
}

/** The whole `batch run` under the project lock; with `resetFailed` (`batch retry-failed`) failed items are put back first. */
export async function runBatch(project: Project, parallel: number, open: OpenRunner, events: RunEvents = {}, resetFailed = false): Promise<RunReport> {
  const release = acquireLock(project, parallel);
  try {
    const removed = removeLeftovers(project);
    closeDeadAttempts(project);
    if (resetFailed) resetFailedItems(project);
    const queue = itemStatuses(project).filter((s) => s.state === 'pending');
    const byId = new Map(project.items.map((i) => [i.item, i]));
    let attempts = 0;
    const lost: string[] = [];
    events.queued?.(queue.length, project.items.length);
    if (queue.length > 0) {
      // The collated table no longer describes the project: gone until every item is done again, so
      // that a table from an earlier pipeline or item set is never taken for this one's.
      rmSync(collatedDir(project), { recursive: true, force: true });
      const runner = await open();
      try {
        const keys = new Map(project.items.map((i) => [i.item, itemKey(project, i)]));
        const hist = histories(readLedger(project), (item) => keys.get(item) ?? null);
        let next = 0;
        const lane = async (): Promise<void> => {
          while (next < queue.length) {
            const item = byId.get((queue[next++] as ItemStatus).item) as ManifestItem;
            const h = hist.get(item.item) ?? { starts: 0, failures: 0, lastError: null, open: null, lastSeconds: null };
            hist.set(item.item, h);
            const r = await attemptItem(project, item, h, runner.runItem, events);
            attempts += r.attempts;
            if (r.outcome === 'lost') lost.push(item.item);
          }
        };
        await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, lane));
      } finally {
        await runner.close();
      }
    }
    const statuses = itemStatuses(project);
    writeStatusFiles(project, statuses);
    return { queued: queue.length, attempts, lost, statuses, removed };
  } finally {
    release();
  }
}

/**
 * Attempts one item until it is done, has used retries + 1 attempts, or was lost `lostLimit` times.
 * Every attempt is a ledger start and end; outputs are staged and committed with item.json last.
 */
export async function attemptItem(project: Project, item: ManifestItem, h: ItemHistory, runItem: ItemRunner, events: RunEvents): Promise<{ outcome: Outcome; attempts: number }> {
  const worker = workerName();
  let lostCount = 0;
  let attempts = 0;
  const t0 = performance.now();
  for (;;) {
    if (h.failures >= project.config.retries + 1) return end('failed');
    if (lostCount >= project.config.lostLimit) return end('lost');
    const key = itemKey(project, item);
    const stamp = inputStamp(item.input);
    const attempt = ++h.starts;
    attempts++;
    appendLedger(project, [{ item: item.item, attempt, event: 'start', worker, time: new Date().toISOString(), key }]);
    if (attempts === 1) events.itemStarted?.(item.item);
    const staging = stagingDir(project, item.item, attempt);
    const t = performance.now();
    let r: ItemResult;
    try {
      r = await runItem(item, staging);
      if (r.outcome === 'done') {
        if (stamp === null) throw new Error(`input ${item.input} vanished during the attempt`);
        commitItem(project, item, staging, stamp, (performance.now() - t) / 1000, worker);
      }
    } catch (err) {
      r = { outcome: 'failed', error: oneLine(err) };
    }
    const seconds = Math.round(performance.now() - t) / 1000;
    if (r.outcome !== 'done') rmSync(staging, { recursive: true, force: true });
    const e: LedgerEvent = { item: item.item, attempt, event: 'end', outcome: r.outcome, worker, time: new Date().toISOString(), key, seconds, ...(r.outcome !== 'done' ? { error: r.error } : {}) };
    appendLedger(project, [e]);
    h.open = null;
    h.lastSeconds = seconds;
    if (r.outcome === 'done') return end('done');
    if (r.outcome === 'failed') {
      h.failures++;
      h.lastError = r.error;
    } else lostCount++;
  }
  function end(outcome: Outcome): { outcome: Outcome; attempts: number } {
    events.itemEnded?.(item.item, outcome, (performance.now() - t0) / 1000);
    return { outcome, attempts };
  }
}

/** `batch retry-failed`: a reset line per failed item, so that its attempts count from zero again. */
function resetFailedItems(project: Project): void {
  const worker = workerName();
  const time = new Date().toISOString();
  appendLedger(project, itemStatuses(project).filter((s) => s.state === 'failed').map((s): LedgerEvent => ({ item: s.item, attempt: 0, event: 'reset', worker, time })));
}

/** Attempts a killed run left open (started on this host by a process that is gone) end as 'lost'. */
function closeDeadAttempts(project: Project): void {
  const hist = histories(readLedger(project), () => null);
  const ends: LedgerEvent[] = [];
  for (const [item, h] of hist) {
    if (h.open === null) continue;
    const [host, pid] = h.open.worker.split(':');
    if (host !== hostname() || isProcessAlive(Number(pid))) continue;
    ends.push({ item, attempt: h.open.attempt, event: 'end', outcome: 'lost', worker: h.open.worker, time: new Date().toISOString(), key: '', seconds: 0, error: 'the process running it was killed' });
  }
  appendLedger(project, ends);
}

/** The first line of an error's message. */
export function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
