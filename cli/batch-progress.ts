/**
 * Progress of `batch run` on stderr: items done of all, failures, items running, and an ETA from the
 * median time of the items done so far (times the items left, over the items run at once). Modes as
 * analyze's progress: a cli-progress bar on a terminal, JSON lines (`--json`), or nothing (`--quiet`).
 */
import cliProgress from 'cli-progress';
import type { Outcome } from '../batch/index.js';
import { formatDuration, type ProgressMode } from './progress.js';

export interface BatchProgressLine {
  readonly event: 'batch';
  readonly done: number;
  readonly failed: number;
  readonly lost: number;
  readonly running: number;
  readonly total: number;
  /** Estimated seconds left, once an item is done in this run. */
  readonly etaSeconds: number | null;
}

export class BatchProgress {
  private readonly mode: 'bar' | 'json' | 'off';
  private bar: cliProgress.SingleBar | null = null;
  private done = 0;
  private failed = 0;
  private lost = 0;
  private running = 0;
  private readonly times: number[] = [];

  /** `total`: the items the project has; `already`: those done before this run. */
  constructor(mode: ProgressMode, private readonly total: number, already: number, private readonly parallel: number, private readonly out: NodeJS.WriteStream = process.stderr) {
    this.mode = mode === 'auto' ? (out.isTTY === true ? 'bar' : 'off') : mode;
    this.done = already;
    if (this.mode === 'bar') {
      this.bar = new cliProgress.SingleBar(
        { stream: out, format: 'items [{bar}] {value}/{total} done | {failed} failed | {running} running | ETA {etaText}', barsize: 24, hideCursor: false, clearOnComplete: true, fps: 4 },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, already, this.payload());
    }
  }

  started(): void {
    this.running++;
    this.update();
  }

  ended(outcome: Outcome, seconds: number): void {
    this.running = Math.max(0, this.running - 1);
    if (outcome === 'done') {
      this.done++;
      this.times.push(seconds);
    } else if (outcome === 'failed') this.failed++;
    else this.lost++;
    this.update();
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }

  snapshot(): BatchProgressLine {
    const sorted = [...this.times].sort((a, b) => a - b);
    const median = sorted.length === 0 ? null : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
    const left = this.total - this.done - this.failed - this.lost;
    return { event: 'batch', done: this.done, failed: this.failed, lost: this.lost, running: this.running, total: this.total, etaSeconds: median === null ? null : Math.round((median * left) / this.parallel * 10) / 10 };
  }

  private payload(): Record<string, string | number> {
    const s = this.snapshot();
    return { failed: s.failed, running: s.running, etaText: s.etaSeconds === null ? '?' : formatDuration(s.etaSeconds * 1000) };
  }

  private update(): void {
    if (this.mode === 'bar') this.bar?.update(this.done, this.payload());
    else if (this.mode === 'json') this.out.write(`${JSON.stringify(this.snapshot())}\n`);
  }
}
