/**
 * The page: ui/static/{index.html, app.js, style.css}, plain files that use only the JSON API. They
 * are read once when a dashboard starts; only these names are served, so no request path ever
 * reaches the file system.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface StaticFile {
  readonly type: string;
  readonly body: Buffer;
}

const FILES: Readonly<Record<string, [file: string, type: string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
  '/favicon.svg': ['favicon.svg', 'image/svg+xml'],
};

/** The folder with the page: next to this module in the sources, or ../../ui/static from dist/ui. */
function staticDir(): string {
  const candidates = [new URL('./static/', import.meta.url), new URL('../../ui/static/', import.meta.url)];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  throw new Error(`the dashboard page is missing: no index.html in ${candidates.map((u) => fileURLToPath(u)).join(' or ')}; reinstall voxelflow`);
}

/** Path → file, for the names the page consists of. */
export function loadStaticFiles(): Map<string, StaticFile> {
  const dir = staticDir();
  const out = new Map<string, StaticFile>();
  for (const [path, [file, type]] of Object.entries(FILES)) out.set(path, { type, body: readFileSync(dir + file) });
  return out;
}
