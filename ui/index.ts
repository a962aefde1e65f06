/**
 * voxelflow ui: a live web dashboard served by the driver (like Spark's UI on port 4040) — jobs,
 * stages, tasks, executors, streaming scans and image previews — with the JSON API it reads
 * (`/api/v1/jobs`, `stages`, `tasks`, `executors`, `scans`, `previews`, `app`, and server-sent
 * `events`). Importing this folder (the package entry does) adds the `ui` option to Context.create.
 *
 * @example
 *   import { Context } from 'voxelflow';
 *   const ctx = await Context.create({ master: 'local[2]', ui: { port: 4040 } });
 *   console.log(`dashboard at ${ctx.ui?.url}`);
 *   const img = ctx.images.synthetic({ kind: 'blobs', shape: [64, 64, 64], seed: 1 });
 *   const labels = img.threshold({ above: 500 }).labelComponents();
 *   ctx.ui?.showPreview('labels z=32', (await img.slice(32)).withLabels(await labels.slice(32)));
 *   await ctx.stop();
 */
import { defineContextMembers, registerContextExtension, type Context } from '../core/index.js';
import { Dashboard, type DashboardSource } from './dashboard.js';
import { withoutCredentials } from './secret-filter.js';
import { parseUiOptions, type UiOptions } from './ui-options.js';

declare module '../core/context.js' {
  interface ContextOptions {
    /** Serve the web dashboard, e.g. `{ port: 4040 }` (loopback unless `host` says otherwise). Off by default. */
    readonly ui?: UiOptions;
  }
  interface Context {
    /** The dashboard of this context, or null when it was created without the `ui` option. */
    readonly ui: Dashboard | null;
  }
}

const dashboards = new WeakMap<Context, Dashboard>();

/** The source a context gives its dashboard: its event bus, what it runs, and its secret to hide. */
function contextSource(ctx: Context, secret: string | undefined): DashboardSource {
  const started = Date.now();
  return {
    on: (type, handler) => ctx.on(type, handler),
    app: () => {
      const s = ctx.storageStats();
      return {
        appName: ctx.appName,
        master: withoutCredentials(ctx.master),
        defaultParallelism: ctx.defaultParallelism,
        started,
        storage: { memoryUsed: s.memoryUsed, memoryBudget: s.memoryBudget, spilledBytes: s.spilledBytes, blocks: s.blocks },
      };
    },
    secrets: [secret, process.env['VOXELFLOW_SECRET']],
  };
}

// ---- what this entry adds -----------------------------------------------------------------------
// The `ui` option of Context.create starts a dashboard for the context and stops it in ctx.stop().
registerContextExtension('ui', {
  check: (value) => void parseUiOptions(value),
  start: async (ctx, value, options) => {
    const dashboard = await Dashboard.start(contextSource(ctx, options.secret), parseUiOptions(value));
    dashboards.set(ctx, dashboard);
    return () => dashboard.close();
  },
});
defineContextMembers({
  ui: {
    get() {
      return dashboards.get(this) ?? null;
    },
  },
});

export { Dashboard, type DashboardSource } from './dashboard.js';
export { DashboardState, DEFAULT_RETENTION, type Retention } from './dashboard-state.js';
export type { PreviewSource } from './preview-store.js';
export { parseUiOptions, type UiOptions } from './ui-options.js';
export type { AppRow, BatchItemRow, BatchRow, ExecutorRow, JobRow, PreviewRow, ScanRow, StageRow, TaskCounts, TaskRow, Topic } from './api-types.js';
