/** Types of scripts/build-stamp.mjs, for the TypeScript that imports it (test/infra/global-setup.ts). */

/** Whether an output matches its sources; `reason` says why not. */
export type StampState = { readonly fresh: true } | { readonly fresh: false; readonly reason: string };

/** Every file under `dir` (relative to `root`, with `/`) whose name passes `keep`; skips node_modules, dist, build. */
export function walk(root: string, dir: string, keep: (rel: string) => boolean): string[];

/** The inputs of `tsc -p tsconfig.json`: tsconfig.json and the .ts files its `include` patterns name. */
export function distSources(root: string): string[];

/** `{ path: sha256 }` for the files (relative to root). */
export function hashFiles(root: string, files: readonly string[]): Record<string, string>;

/** Writes the stamp for sources hashed before the build started. */
export function writeStamp(stampFile: string, hashes: Readonly<Record<string, string>>, extra?: Readonly<Record<string, unknown>>): void;

/** `{ fresh: true }`, or `{ fresh: false, reason }`; `extra` must equal what the stamp recorded beside the hashes. */
export function stampState(stampFile: string, root: string, files: readonly string[], what: string, extra?: Readonly<Record<string, unknown>>): StampState;
