/**
 * A one-line progress bar on stderr, fed by the event bus: the current step, tasks done of tasks
 * submitted, elapsed time. Drawn only on a terminal; silent when stderr is a file or a pipe.
 */
import type { Context } from '../core/index.js';

export class Progress {
  private step = '';
  private done = 0;
  private total = 0;
  private readonly start = Date.now();
  private readonly off: (() => void)[] = [];
  private readonly enabled: boolean;

  constructor(ctx: Context, enabled = process.stderr.isTTY === true) {
    this.enabled = enabled;
    if (!enabled) return;
    this.off.push(ctx.on('stageSubmitted', (e) => {
      this.total += e.numTasks;
      this.draw();
    }));
    this.off.push(ctx.on('taskEnd', (e) => {
      if (e.status === 'success') this.done++;
      this.draw();
    }));
  }

  /** Names the step the following tasks belong to. */
  begin(step: string): void {
    this.step = step;
    this.done = 0;
    this.total = 0;
    this.draw();
  }

  end(): void {
    for (const off of this.off) off();
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }

  private draw(): void {
    if (!this.enabled) return;
    const width = 24;
    const frac = this.total === 0 ? 0 : Math.min(1, this.done / this.total);
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    const secs = ((Date.now() - this.start) / 1000).toFixed(1);
    process.stderr.write(`\r\x1b[K${this.step.padEnd(10)} [${bar}] ${this.done}/${this.total} tasks  ${secs}s`);
  }
}
