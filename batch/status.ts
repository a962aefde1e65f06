/**
 * The state of every item, from item.json records and the ledger: done, running (an attempt started
 * and not ended by a live process), failed (its failures reached retries + 1), or pending. Written as
 * output/status.csv and output/failed.jsonl, and summarized for `batch status` with the slowest items
 * and an ETA from the median item time.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { doneRecord, itemKey } from './item-record.js';
import { histories, readLedger, type ItemHistory } from './ledger.js';
import { isProcessAlive, liveLock } from './lock.js';
import { csvField, type ManifestItem } from './manifest.js';
import { outputDir, type Project } from './project.js';

export type ItemState = 'done' | 'running' | 'failed' | 'pending';

export interface ItemStatus {
  readonly item: string;
  readonly input: string;
  readonly state: ItemState;
  /** Attempts counted against the item (failures since its last reset under the current pipeline and input), plus the one that succeeded. */
  readonly attempts: number;
  /** Seconds of the successful attempt, or of the last attempt that ended. */
  readonly seconds: number | null;
  readonly error: string | null;
}

export interface BatchSummary {
  readonly total: number;
  readonly done: number;
  readonly running: number;
  readonly pending: number;
  readonly failed: number;
  /** Median seconds of the done items. */
  readonly medianSeconds: number | null;
  /** Seconds left: median item time x items left / items run at once. Null before any item is done. */
  readonly etaSeconds: number | null;
  readonly slowest: readonly { readonly item: string; readonly seconds: number }[];
}

/** Every item's status, in manifest order. */
export function itemStatuses(project: Project): ItemStatus[] {
  const keys = new Map(project.items.map((i) => [i.item, itemKey(project, i)]));
  const hist = histories(readLedger(project), (item) => keys.get(item) ?? null);
  const running = liveLock(project) !== null;
  return project.items.map((i) => statusOf(project, i, hist.get(i.item), running));
}

function statusOf(project: Project, i: ManifestItem, h: ItemHistory | undefined, lockHeld: boolean): ItemStatus {
  const rec = doneRecord(project, i);
  const failures = h?.failures ?? 0;
  if (rec !== null) return { item: i.item, input: i.input, state: 'done', attempts: failures + 1, seconds: rec.seconds, error: null };
  if (h?.open != null && openIsLive(h.open.worker, lockHeld)) return { item: i.item, input: i.input, state: 'running', attempts: failures, seconds: null, error: h.lastError };
  const state = failures >= project.config.retries + 1 ? 'failed' : 'pending';
  return { item: i.item, input: i.input, state, attempts: failures, seconds: h?.lastSeconds ?? null, error: h?.lastError ?? null };
}

/** An open attempt is running if its process is alive: a pid on this host, else (another host) while it is not known dead. */
function openIsLive(worker: string, lockHeld: boolean): boolean {
  const [host, pid, sge] = worker.split(':');
  if (host !== hostname()) return true;
  if (sge === undefined && !lockHeld) return false;
  return isProcessAlive(Number(pid));
}

/** Counts, median, ETA and the slowest items. `parallel`: items run at once (for the ETA). */
export function summarize(statuses: readonly ItemStatus[], parallel: number): BatchSummary {
  const count = (s: ItemState): number => statuses.filter((x) => x.state === s).length;
  const times = statuses.filter((s) => s.state === 'done' && s.seconds !== null).map((s) => s.seconds as number).sort((a, b) => a - b);
  const median = times.length === 0 ? null : times.length % 2 === 1 ? (times[(times.length - 1) / 2] as number) : ((times[times.length / 2 - 1] as number) + (times[times.length / 2] as number)) / 2;
  const left = count('pending') + count('running');
  const slowest = statuses
    .filter((s) => s.state === 'done' && s.seconds !== null)
    .sort((a, b) => (b.seconds as number) - (a.seconds as number))
    .slice(0, 5)
    .map((s) => ({ item: s.item, seconds: s.seconds as number }));
  return {
    total: statuses.length,
    done: count('done'),
    running: count('running'),
    pending: count('pending'),
    failed: count('failed'),
    medianSeconds: median,
    etaSeconds: median === null ? null : (median * left) / Math.max(1, parallel),
    slowest,
  };
}

/** Writes output/status.csv and output/failed.jsonl (each to a temporary name, then renamed). */
export function writeStatusFiles(project: Project, statuses: readonly ItemStatus[]): void {
  const dir = outputDir(project.dir);
  mkdirSync(dir, { recursive: true });
  const csv = ['item,state,attempts,seconds,error', ...statuses.map((s) => [csvField(s.item), s.state, s.attempts, s.seconds ?? '', csvField(s.error ?? '')].join(','))].join('\n');
  atomicWrite(join(dir, 'status.csv'), `${csv}\n`);
  const failed = statuses.filter((s) => s.state === 'failed').map((s) => JSON.stringify({ item: s.item, input: s.input, error: s.error, attempts: s.attempts }));
  atomicWrite(join(dir, 'failed.jsonl'), failed.map((l) => `${l}\n`).join(''));
}

export function atomicWrite(file: string, text: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
