/**
 * The web dashboard: an HTTP server in the driver (node:http) that folds the event bus into
 * DashboardState and serves it as JSON under `/api/v1/`, with server-sent events for live updates
 * and the page (ui/static) at `/`. The page reads only the JSON API.
 *
 * @example
 *   const ctx = await Context.create({ master: 'local[2]', ui: { port: 4040 } });
 *   console.log(`dashboard: ${ctx.ui?.url}`);
 *   ctx.ui?.showPreview('middle slice', await img.slice(32));
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { ConfigError, type VoxelflowEvent } from '../core/index.js';
import type { AppRow, BatchRow, PreviewRow } from './api-types.js';
import { DashboardState, DEFAULT_RETENTION, type Retention } from './dashboard-state.js';
import { EventStream } from './event-stream.js';
import { PreviewStore, type PreviewSource } from './preview-store.js';
import { SecretFilter } from './secret-filter.js';
import { loadStaticFiles, type StaticFile } from './static-files.js';
import { isLoopback, type ResolvedUiOptions } from './ui-options.js';

/** What a dashboard watches: an event bus and a description of the application. */
export interface DashboardSource {
  /** Subscribes to every event; returns the unsubscribe function. */
  on(type: '*', handler: (event: VoxelflowEvent) => void): () => void;
  /** What `/api/v1/app` serves (no option beyond these fields is ever served). */
  app(): AppRow;
  /** Strings no response may contain (the cluster secret). */
  readonly secrets: readonly (string | undefined)[];
}

const PAGE_CSP = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** The web dashboard of a context (`ui` option): serves the JSON API and the page; start it with `Dashboard.start`. */
export class Dashboard {
  // The page first: a missing file throws before any timer or subscription exists.
  private readonly files = loadStaticFiles();
  /** What the dashboard knows (jobs, stages, tasks, executors, scans). */
  readonly state: DashboardState;
  /** The pictures shown with `showPreview`. */
  readonly previews = new PreviewStore();
  private readonly stream = new EventStream();
  private readonly filter: SecretFilter;
  private readonly unsubscribe: () => void;
  private closed = false;
  private batch: (() => BatchRow) | null = null;

  private constructor(
    private readonly source: DashboardSource,
    private readonly server: Server,
    private readonly options: ResolvedUiOptions,
    retention: Retention,
  ) {
    this.filter = new SecretFilter(source.secrets);
    this.state = new DashboardState((topic) => this.stream.changed(topic), retention);
    this.unsubscribe = source.on('*', (e) => this.state.apply(e));
    server.on('request', (req, res) => this.handle(req, res));
  }

  /**
   * Listens on `options.host:options.port`. Rejects with a ConfigError naming `ui.port` when the port
   * is taken (choose another, or 0 for a free one) and `ui.host` when the address cannot be bound.
   */
  static async start(source: DashboardSource, options: ResolvedUiOptions, retention: Retention = DEFAULT_RETENTION): Promise<Dashboard> {
    const server = createServer();
    const dashboard = new Dashboard(source, server, options, retention);
    try {
      await listen(server, options);
    } catch (err) {
      dashboard.unsubscribe();
      dashboard.stream.close();
      throw err;
    }
    return dashboard;
  }

  /** Where the page is, e.g. `http://127.0.0.1:4040/`. */
  get url(): string {
    const address = this.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : this.options.port;
    const host = this.options.host === '0.0.0.0' || this.options.host === '::' ? hostname() : this.options.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  }

  /** The port it listens on (the one chosen when `ui.port` was 0). */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : this.options.port;
  }

  /** Shows a picture under `name` (replacing an earlier one of that name): a Preview, PNG bytes or an SVG string. */
  showPreview(name: string, picture: PreviewSource): PreviewRow {
    const row = this.previews.show(name, picture);
    this.stream.changed('previews');
    return row;
  }

  /**
   * Shows a batch project: `/api/v1/batch` answers `view()` (read when asked, so it is always current);
   * call `batchChanged()` when an item starts or ends so that open pages refetch it.
   */
  showBatch(view: () => BatchRow): void {
    this.batch = view;
    this.batchChanged();
  }

  /** Tells open pages that the batch view changed. */
  batchChanged(): void {
    this.stream.changed('batch');
  }

  /** Stops listening and ends the live streams. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.stream.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.json(res, 405, { error: `method ${req.method} is not allowed; the dashboard is read-only (GET)` });
    if (isLoopback(this.options.host) && !loopbackHostHeader(req.headers.host)) {
      // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) gets nothing.
      return this.json(res, 403, { error: 'this dashboard answers only to localhost / 127.0.0.1; open it by that address' });
    }
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const page = this.files.get(url.pathname);
    if (page !== undefined) return this.file(res, page);
    if (url.pathname.startsWith('/api/v1/')) return this.api(url, req, res);
    this.json(res, 404, { error: `no such page: ${url.pathname}; the dashboard is at / and its API under /api/v1/` });
  }

  private api(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const path = url.pathname.slice('/api/v1/'.length);
    const id = (name: string): number | undefined => {
      const v = url.searchParams.get(name);
      return v === null || !/^\d+$/.test(v) ? undefined : Number(v);
    };
    switch (path) {
      case 'app':
        return this.json(res, 200, this.source.app());
      case 'jobs':
        return this.json(res, 200, this.state.jobList());
      case 'stages':
        return this.json(res, 200, this.state.stageList(id('job')));
      case 'tasks':
        return this.json(res, 200, this.state.taskList(id('stage')));
      case 'executors':
        return this.json(res, 200, this.state.executorList());
      case 'scans':
        return this.json(res, 200, this.state.scanList());
      case 'previews':
        return this.json(res, 200, this.previews.list());
      case 'batch':
        return this.json(res, 200, this.batch === null ? null : this.batch());
      case 'events':
        if (req.method === 'HEAD') return this.json(res, 200, {});
        return this.stream.attach(res);
    }
    const m = /^previews\/([a-z0-9-]+)\.(png|svg)$/.exec(path);
    const picture = m === null ? undefined : this.previews.get(m[1] as string);
    if (picture !== undefined && picture.row.type === m?.[2]) {
      const type = picture.row.type === 'png' ? 'image/png' : 'image/svg+xml';
      const body = picture.row.type === 'svg' ? Buffer.from(this.filter.clean(picture.bytes.toString('utf8'))) : picture.bytes;
      res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-cache', ...(picture.row.type === 'svg' ? { 'content-security-policy': SVG_CSP } : {}) });
      res.end(body);
      return;
    }
    this.json(res, 404, { error: `no such API path: /api/v1/${path}; see /api/v1/jobs, stages, tasks, executors, scans, previews, batch, events, app` });
  }

  private json(res: ServerResponse, status: number, data: unknown): void {
    const body = Buffer.from(this.filter.clean(JSON.stringify(data)));
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }

  private file(res: ServerResponse, f: StaticFile): void {
    res.writeHead(200, { 'content-type': f.type, 'content-length': f.body.length, 'cache-control': 'no-cache', 'content-security-policy': PAGE_CSP });
    res.end(res.req.method === 'HEAD' ? undefined : f.body);
  }
}

function listen(server: Server, options: ResolvedUiOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const where = `${options.host}:${options.port}`;
      if (err.code === 'EADDRINUSE') reject(new ConfigError('ui.port', `ui.port: port ${options.port} on ${options.host} is already in use; choose another port (--ui-port), or 0 for a free one`));
      else if (err.code === 'EACCES') reject(new ConfigError('ui.port', `ui.port: not allowed to listen on ${where} (ports below 1024 need privileges); choose a port from 1024 up`));
      else reject(new ConfigError('ui.host', `ui.host: cannot listen on ${where} (${err.code ?? err.message}); use '127.0.0.1' (the default) or an address of this machine`));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function loopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return isLoopback(name);
}
