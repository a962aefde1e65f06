/**
 * output/ledger.jsonl: append-only, one JSON line per attempt start and end, and one per reset
 * (`batch retry-failed`). Attempts an item has used are counted from it: the failures (outcome
 * "failed") since its last reset, under the current pipeline and input (the `key`), so that a new
 * pipeline or a replaced input starts the count again. Lost attempts (a worker, a connection, a
 * Grid Engine requeue) never count.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { outputDir, type Project } from './project.js';

export type Outcome = 'done' | 'failed' | 'lost';

export type LedgerEvent =
  | { readonly item: string; readonly attempt: number; readonly event: 'start'; readonly worker: string; readonly time: string; readonly key: string }
  | {
      readonly item: string;
      readonly attempt: number;
      readonly event: 'end';
      readonly outcome: Outcome;
      readonly worker: string;
      readonly time: string;
      readonly key: string;
      readonly seconds: number;
      readonly error?: string;
    }
  | { readonly item: string; readonly attempt: number; readonly event: 'reset'; readonly worker: string; readonly time: string };

export function ledgerFile(project: Project): string {
  return join(outputDir(project.dir), 'ledger.jsonl');
}

/** Appends events, one line each, in one write (O_APPEND: lines of concurrent writers do not interleave). */
export function appendLedger(project: Project, events: readonly LedgerEvent[]): void {
  if (events.length === 0) return;
  const file = ledgerFile(project);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

/** The ledger's events; a line a killed writer left half-written is skipped. */
export function readLedger(project: Project): LedgerEvent[] {
  const file = ledgerFile(project);
  if (!existsSync(file)) return [];
  const out: LedgerEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      out.push(JSON.parse(line) as LedgerEvent);
    } catch {
      // the last line of a writer killed mid-write
    }
  }
  return out;
}

/** What the ledger says about one item. */
export interface ItemHistory {
  /** Attempts started so far (the next attempt's number is this + 1). */
  starts: number;
  /** Failures counted against the item: since its last reset, under `key`. */
  failures: number;
  /** The last failure's error line, if any. */
  lastError: string | null;
  /** The attempt started and not ended, with its worker, or null. */
  open: { attempt: number; worker: string; time: string } | null;
  /** Seconds of the last attempt that ended. */
  lastSeconds: number | null;
}

/** Per item: starts, counted failures (events with `keyOf(item)`), the open attempt. */
export function histories(events: readonly LedgerEvent[], keyOf: (item: string) => string | null): Map<string, ItemHistory> {
  const out = new Map<string, ItemHistory>();
  const of = (item: string): ItemHistory => {
    let h = out.get(item);
    if (h === undefined) out.set(item, (h = { starts: 0, failures: 0, lastError: null, open: null, lastSeconds: null }));
    return h;
  };
  for (const e of events) {
    const h = of(e.item);
    if (e.event === 'start') {
      h.starts = Math.max(h.starts, e.attempt);
      h.open = { attempt: e.attempt, worker: e.worker, time: e.time };
    } else if (e.event === 'reset') {
      h.failures = 0;
      h.lastError = null;
    } else {
      if (h.open?.attempt === e.attempt) h.open = null;
      h.lastSeconds = e.seconds;
      if (e.outcome === 'failed' && e.key === keyOf(e.item)) {
        h.failures++;
        h.lastError = e.error ?? null;
      }
    }
  }
  return out;
}
