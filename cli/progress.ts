/**
 * Progress of a CLI command on stderr, fed by the event bus: the current step, its stages and tasks
 * (done of submitted), voxels per second, elapsed and estimated time left, and batch workers (pending,
 * running, finished) when the master is `sge`. Three modes:
 * - `bar`: a one-line bar drawn with cli-progress, on a terminal;
 * - `json`: one JSON object per line (`{"event":"progress","step":...}`) at most 4 times a second and at
 *   the end of every step, for scripts (`--json`);
 * - `off`: nothing (`--quiet`, or stderr is not a terminal in `auto`).
 * In every mode but an explicit `off`, a driver left without executors says so on stderr ("waiting for
 * executors (0 registered) since T"), once when it starts waiting and once when executors are back:
 * a job that hangs for that reason is never silent in a terminal or in a batch job's log.
 *
 * @example
 *   const progress = new Progress(ctx, 'auto');
 *   progress.begin('box', img.shape[0] * img.shape[1] * img.shape[2]);
 *   await filtered.blocks.count();
 *   progress.end();
 */
import cliProgress from 'cli-progress';
import type { Context } from '../core/index.js';

export type ProgressMode = 'auto' | 'bar' | 'json' | 'off';

/** What one step has done so far. */
export interface StepProgress {
  readonly event: 'progress';
  readonly step: string;
  readonly stages: number;
  readonly stagesDone: number;
  readonly tasksDone: number;
  readonly tasksTotal: number;
  readonly elapsedMs: number;
  /** Voxels per second, when the step said how many voxels it covers. */
  readonly voxelsPerSecond: number | null;
  /** Estimated time left from the task rate so far, when there is one. */
  readonly etaMs: number | null;
  readonly done: boolean;
}

const JSON_INTERVAL_MS = 250;

export class Progress {
  private step = '';
  private voxels = 0;
  private stages = 0;
  private stagesDone = 0;
  private done = 0;
  private total = 0;
  private stepStart = Date.now();
  private lastJson = 0;
  private readonly off: (() => void)[] = [];
  private readonly mode: 'bar' | 'json' | 'off';
  private bar: cliProgress.SingleBar | null = null;
  private workers = '';

  constructor(ctx: Context, mode: ProgressMode = 'auto', private readonly out: NodeJS.WriteStream = process.stderr) {
    this.mode = mode === 'auto' ? (out.isTTY === true ? 'bar' : 'off') : mode;
    if (mode !== 'off') this.off.push(ctx.on('executorsWaiting', (e) => this.executorsWaiting(e.since, e.registered)));
    if (this.mode === 'off') return;
    this.off.push(
      ctx.on('stageSubmitted', (e) => {
        this.stages++;
        this.total += e.numTasks;
        this.update();
      }),
      ctx.on('stageCompleted', (e) => {
        if (e.result === 'succeeded') this.stagesDone++;
        this.update();
      }),
      ctx.on('taskEnd', (e) => {
        if (e.status === 'success') this.done++;
        this.update();
      }),
      // Batch workers (--master sge): how many are pending, running, draining, finished.
      ctx.on('batchJobs', (e) => {
        const parts = ([['running', e.running], ['pending', e.pending], ['draining', e.draining], ['finished', e.finished]] as const).filter(([, n]) => n > 0);
        this.workers = `${e.launcher} workers: ${parts.map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`;
        if (this.mode === 'json') this.out.write(`${JSON.stringify({ event: 'workers', launcher: e.launcher, requested: e.requested, pending: e.pending, running: e.running, draining: e.draining, finished: e.finished })}\n`);
        else this.update();
      }),
    );
  }

  /** Says that tasks wait with no executor (registered 0), or that executors are back. */
  private executorsWaiting(since: number, registered: number): void {
    const line = registered === 0 ? `waiting for executors (0 registered) since ${new Date(since).toISOString()}` : `executors back (${registered} registered) after waiting ${Math.round((Date.now() - since) / 1000)} s`;
    if (this.mode === 'json') {
      this.out.write(`${JSON.stringify({ event: 'executors', registered, since })}\n`);
      return;
    }
    this.workers = registered === 0 ? line : '';
    // A line of its own, above the bar when there is one: the log keeps it.
    this.out.write(`${this.bar !== null ? '\r\x1b[2K' : ''}voxelflow: ${line}\n`);
    this.update();
  }

  /** Starts a step; the following stages and tasks belong to it. `voxels` is how many it covers, for voxels/s. */
  begin(step: string, voxels = 0): void {
    this.finishStep();
    this.step = step;
    this.voxels = voxels;
    this.stages = this.stagesDone = this.done = this.total = 0;
    this.stepStart = Date.now();
    if (this.mode === 'bar') {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.out,
          format: `${step.padEnd(10)} [{bar}] {value}/{total} tasks | stage {stagesDone}/{stages} | {rate} | {duration_formatted} | ETA {etaText}{workers}`,
          barsize: 24,
          hideCursor: false,
          clearOnComplete: true,
          etaBuffer: 50,
          fps: 8,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(0, 0, this.payload());
    }
    this.update();
  }

  /** Ends the last step and stops listening. */
  end(): void {
    this.finishStep();
    for (const off of this.off.splice(0)) off();
  }

  /** The current step's figures. */
  snapshot(done = false): StepProgress {
    const elapsedMs = Date.now() - this.stepStart;
    const frac = this.total === 0 ? 0 : this.done / this.total;
    return {
      event: 'progress',
      step: this.step,
      stages: this.stages,
      stagesDone: this.stagesDone,
      tasksDone: this.done,
      tasksTotal: this.total,
      elapsedMs,
      voxelsPerSecond: this.voxels > 0 && elapsedMs > 0 ? Math.round((this.voxels * (done ? 1 : frac)) / (elapsedMs / 1000)) : null,
      etaMs: done ? 0 : frac > 0 ? Math.round((elapsedMs * (1 - frac)) / frac) : null,
      done,
    };
  }

  private payload(): Record<string, string | number> {
    const s = this.snapshot();
    // Our own estimate, not cli-progress's {eta_formatted}: before the first task ends that one is
    // 'NULL' or 'INF' cut to 'NFs'; ours says '?' until there is something to extrapolate from.
    return { stages: s.stages, stagesDone: s.stagesDone, etaText: s.etaMs === null ? '?' : formatDuration(s.etaMs), rate: s.voxelsPerSecond === null ? '' : `${formatRate(s.voxelsPerSecond)} voxels/s`, workers: this.workers === '' ? '' : ` | ${this.workers}` };
  }

  private update(): void {
    if (this.step === '') return;
    if (this.mode === 'bar' && this.bar !== null) {
      this.bar.setTotal(this.total);
      this.bar.update(this.done, this.payload());
    } else if (this.mode === 'json') {
      const now = Date.now();
      if (now - this.lastJson < JSON_INTERVAL_MS) return;
      this.lastJson = now;
      this.out.write(`${JSON.stringify(this.snapshot())}\n`);
    }
  }

  private finishStep(): void {
    if (this.step === '') return;
    if (this.mode === 'bar' && this.bar !== null) {
      this.bar.stop();
      this.bar = null;
    } else if (this.mode === 'json') {
      this.out.write(`${JSON.stringify(this.snapshot(true))}\n`);
    }
    this.step = '';
  }
}

function formatRate(v: number): string {
  if (v >= 1e9) return `${(v / 1e9).toFixed(2)} G`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)} M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return String(v);
}

/** `850ms`, `12s`, `3m05s`, `2h07m`: short enough for the bar. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
