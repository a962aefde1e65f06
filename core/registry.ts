/**
 * Extension points for the layers above core (imaging, streaming): lineage node kinds and
 * functions that cannot travel as source because they import things. Both are registered with the
 * URL of the module that defines them; plans list those modules and workers import them before
 * rebuilding a stage, as DESIGN.md puts it: "functions that need imports live in a module that
 * workers load by path".
 */
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { moduleUrlToImport } from './bundle.js';
import { packageRoot } from './package-root.js';
import type { RddNode } from './rdd-node.js';
import type { RDD } from './rdd.js';

/** Rebuilds a lineage node of one kind from its plan params and its rebuilt parents (on the driver and on workers). */
export type NodeFactory = (params: never, parents: RDD<unknown>[]) => RddNode<unknown>;

const nodes = new Map<string, { readonly factory: NodeFactory; readonly module: string }>();
const functions = new Map<string, { readonly fn: unknown; readonly module: string }>();
const NAMED = Symbol.for('voxelflow.namedFunction');

/** Registers a lineage node kind defined outside core. */
export function registerNode(op: string, factory: NodeFactory, moduleUrl: string): void {
  nodes.set(op, { factory, module: workerModuleUrl(moduleUrl) });
}

/** The factory and worker module of a node kind registered with registerNode, if any. */
export function registeredNode(op: string): { readonly factory: NodeFactory; readonly module: string } | undefined {
  return nodes.get(op);
}

/**
 * Marks `fn` to be shipped by name: workers load `moduleUrl` and use its registered function
 * instead of compiling source. Use it for functions that need imports.
 *
 * @typeParam F - The function's type; `fn` is returned as it is, marked.
 */
export function namedFunction<F extends (...args: never[]) => unknown>(name: string, fn: F, moduleUrl: string): F {
  const module = workerModuleUrl(moduleUrl);
  Object.defineProperty(fn, NAMED, { value: { name, module } });
  functions.set(name, { fn, module });
  return fn;
}

/** The name and module of a named function, if it is one. */
export function namedFunctionInfo(fn: unknown): { readonly name: string; readonly module: string } | undefined {
  if (typeof fn !== 'function') return undefined;
  const info: unknown = Object.getOwnPropertyDescriptor(fn, NAMED)?.value;
  return info === undefined ? undefined : (info as { readonly name: string; readonly module: string });
}

export function lookupNamedFunction(name: string): unknown {
  const entry = functions.get(name);
  if (entry === undefined) throw new Error(`function '${name}' is not registered on this worker; is its module in the plan's module list?`);
  return entry.fn;
}

/** The modules that registered nodes or named functions so far (what worker threads will import). */
export function registeredModules(): string[] {
  const urls = new Set<string>();
  for (const n of nodes.values()) urls.add(n.module);
  for (const f of functions.values()) urls.add(f.module);
  return [...urls];
}

const loaded = new Set<string>();

/** Imports modules a plan needs (once per thread). */
export async function loadModules(urls: readonly string[]): Promise<void> {
  for (const url of urls) {
    if (loaded.has(url)) continue;
    await import(moduleUrlToImport(url));
    loaded.add(url);
  }
}

/**
 * The URL a worker thread can import for a module: compiled JavaScript. When the driver runs from
 * TypeScript sources (tests, ts runners), `<root>/x/y.ts` maps to `<root>/dist/x/y.js`.
 */
export function workerModuleUrl(url: string): string {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return url;
  const file = fileURLToPath(url);
  const root = packageRoot();
  const inside = relative(root, file);
  // A TypeScript module outside the package (the caller's own) has no compiled twin here.
  if (inside.startsWith('..') || isAbsolute(inside)) return url;
  return pathToFileURL(join(root, 'dist', inside.replace(/\.ts$/, '.js'))).href;
}
