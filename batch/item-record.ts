/**
 * item.json: the record that makes an item done. Outputs are written to a staging folder, item.json
 * is written there last, and the folder is renamed into output/items/<item> in one step, so an item
 * folder either holds every output and its record or does not exist. An item is done when its
 * item.json exists, names outputs that still have the sizes it recorded, and its pipeline hash and
 * input size and mtime still match: a new pipeline reruns every item, a replaced input reruns one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ManifestItem } from './manifest.js';
import { OUTPUT_FILES, outputDir, type Project } from './project.js';

/** An input's identity: size and mtime (a .zarr folder: its own entry's). Null when it cannot be read. */
export interface InputStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

export interface ItemRecord {
  readonly item: string;
  readonly input: string;
  readonly inputSize: number;
  readonly inputMtimeMs: number;
  readonly pipelineHash: string;
  /** Output file names (in the item folder) and their sizes in bytes. */
  readonly outputs: readonly { readonly file: string; readonly bytes: number }[];
  readonly seconds: number;
  readonly worker: string;
  readonly finished: string;
}

export const ITEM_RECORD = 'item.json';
const STAGING_PREFIX = '.staging-';

export function itemsDir(project: Project): string {
  return join(outputDir(project.dir), 'items');
}

export function itemDir(project: Project, item: string): string {
  return join(itemsDir(project), item);
}

export function inputStamp(path: string): InputStamp | null {
  try {
    const st = statSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return null;
  }
}

/** The item's record when the item is done (see the module comment), else null. */
export function doneRecord(project: Project, item: ManifestItem): ItemRecord | null {
  const dir = itemDir(project, item.item);
  let rec: ItemRecord;
  try {
    rec = JSON.parse(readFileSync(join(dir, ITEM_RECORD), 'utf8')) as ItemRecord;
  } catch {
    return null;
  }
  if (rec.pipelineHash !== project.pipelineHash || rec.item !== item.item || !Array.isArray(rec.outputs)) return null;
  const stamp = inputStamp(item.input);
  if (stamp === null || stamp.size !== rec.inputSize || stamp.mtimeMs !== rec.inputMtimeMs) return null;
  const expected = project.config.outputs.map((o) => OUTPUT_FILES[o]).sort();
  if (rec.outputs.map((o) => o.file).sort().join('/') !== expected.join('/')) return null;
  for (const o of rec.outputs) {
    const st = inputStamp(join(dir, o.file));
    if (st === null || st.size !== o.bytes) return null;
  }
  return rec;
}

/** A fresh staging folder for one attempt at an item (removed first if a killed run left it). */
export function stagingDir(project: Project, item: string, attempt: number): string {
  const dir = join(itemsDir(project), `${STAGING_PREFIX}${item}.${attempt}.${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Makes a staged attempt the item's outputs: checks every output is there, writes item.json in the
 * staging folder, and renames the folder into place (replacing an old, invalid item folder).
 */
export function commitItem(project: Project, item: ManifestItem, staging: string, stamp: InputStamp, seconds: number, worker: string): ItemRecord {
  const outputs = project.config.outputs.map((o) => {
    const file = OUTPUT_FILES[o];
    return { file, bytes: statSync(join(staging, file)).size };
  });
  const rec: ItemRecord = {
    item: item.item,
    input: item.input,
    inputSize: stamp.size,
    inputMtimeMs: stamp.mtimeMs,
    pipelineHash: project.pipelineHash,
    outputs,
    seconds: Math.round(seconds * 1000) / 1000,
    worker,
    finished: new Date().toISOString(),
  };
  writeFileSync(join(staging, ITEM_RECORD), `${JSON.stringify(rec, null, 2)}\n`);
  const final = itemDir(project, item.item);
  if (existsSync(final)) {
    const old = join(itemsDir(project), `${STAGING_PREFIX}${item.item}.old.${process.pid}`);
    renameSync(final, old);
    renameSync(staging, final);
    rmSync(old, { recursive: true, force: true });
  } else renameSync(staging, final);
  return rec;
}

/**
 * Removes what a killed run left: staging folders, and item folders without a valid item.json
 * (`only`: just this item's, for a Grid Engine task that runs beside others). Returns how many.
 */
export function removeLeftovers(project: Project, only?: ManifestItem): number {
  const dir = itemsDir(project);
  if (!existsSync(dir)) return 0;
  let removed = 0;
  const byId = new Map(project.items.map((i) => [i.item, i]));
  for (const name of readdirSync(dir)) {
    const staging = name.startsWith(STAGING_PREFIX);
    if (only !== undefined && (staging ? stagedItem(name) : name) !== only.item) continue;
    const item = byId.get(name);
    // A folder of an item no longer in the manifest is left alone: it may be wanted back.
    if (staging || (item !== undefined && doneRecord(project, item) === null)) {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

/** The item a staging folder belongs to: `.staging-<item>.<attempt|old>.<pid>` (item ids may hold dots). */
function stagedItem(name: string): string | null {
  return /^\.staging-(.+)\.(?:\d+|old)\.\d+$/.exec(name)?.[1] ?? null;
}

/** `host:pid`, the worker column of the ledger and of item.json. */
export function workerName(): string {
  const task = process.env['SGE_TASK_ID'];
  const job = process.env['JOB_ID'];
  return job !== undefined && task !== undefined && task !== 'undefined' ? `${hostname()}:${process.pid}:sge-${job}.${task}` : `${hostname()}:${process.pid}`;
}

/** The ledger key of an item's attempts: the pipeline and the input's identity (failures count per key). */
export function itemKey(project: Project, item: ManifestItem): string {
  const s = inputStamp(item.input);
  return s === null ? `${project.pipelineHash}:missing` : `${project.pipelineHash}:${s.size}:${s.mtimeMs}`;
}
