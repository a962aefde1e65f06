/**
 * A batch project folder: batch.json (the pipeline, its outputs, retries), manifest.csv (the items),
 * input/ (the images) and output/ (what runs write). Loading checks both files before any work.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { BatchProjectError } from './batch-error.js';
import { parseManifest, type ManifestItem } from './manifest.js';

/** The outputs an item can write, and their file names in the item's folder. */
export const OUTPUT_FILES = { stats: 'stats.csv', labels: 'labels.npy', filtered: 'filtered.npy', preview: 'preview.png' } as const;
export type OutputName = keyof typeof OUTPUT_FILES;

/** A pipeline option's value as batch.json holds it. */
export type PipelineValue = string | number | boolean | readonly number[];

export interface BatchConfig {
  /** analyze's options by name (`above`, `box`, `connectivity`, `roi`, ...), without the leading dashes. */
  readonly pipeline: Readonly<Record<string, PipelineValue>>;
  readonly outputs: readonly OutputName[];
  /** Attempts after the first for an item whose input makes it fail. */
  readonly retries: number;
  /** The manifest column that names each item's sample. */
  readonly sampleColumn: string;
  /** Attempts lost to the cluster (a worker, a connection, a requeue) one item may take in one run. */
  readonly lostLimit: number;
}

export interface Project {
  /** The project folder, absolute. */
  readonly dir: string;
  readonly config: BatchConfig;
  /** Metadata columns of the manifest, in order (the sample column among them). */
  readonly columns: readonly string[];
  readonly items: readonly ManifestItem[];
  /** The hash of the pipeline, its outputs and the voxelflow version: an item.json must record it. */
  readonly pipelineHash: string;
}

export const DEFAULT_CONFIG: BatchConfig = { pipeline: { above: 400, box: 1, connectivity: 26 }, outputs: ['stats'], retries: 2, sampleColumn: 'sample', lostLimit: 5 };

/** Where a project keeps what runs write. */
export function outputDir(dir: string): string {
  return join(dir, 'output');
}

/**
 * Loads and checks a project. `version` goes into the pipeline hash (a new voxelflow reruns every
 * item); `statsColumns` are the collated statistics' columns, which manifest columns may not reuse.
 */
export function loadProject(dirGiven: string, version: string, statsColumns: readonly string[]): Project {
  const dir = resolve(dirGiven);
  const configFile = join(dirGiven, 'batch.json');
  const config = parseConfig(readText(configFile, dir), configFile);
  const manifestFile = join(dirGiven, 'manifest.csv');
  const manifest = parseManifest(readText(manifestFile, dir), manifestFile, config.sampleColumn, (p) => (isAbsolute(p) ? p : join(dir, p)), statsColumns);
  return { dir, config, columns: manifest.columns, items: manifest.items, pipelineHash: pipelineHash(config, version) };
}

function readText(file: string, dir: string): string {
  try {
    if (!statSync(dir).isDirectory()) throw new BatchProjectError(dir, 'is not a folder; give the batch project folder');
  } catch (err) {
    if (err instanceof BatchProjectError) throw err;
    throw new BatchProjectError(dir, "does not exist; create a project with 'voxelflow batch init PROJECT --input GLOB'");
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BatchProjectError(file, code === 'ENOENT' ? "is missing; 'voxelflow batch init' writes it" : `cannot be read (${code ?? 'error'})`);
  }
}

/** Checks batch.json's structure; pipeline option values are checked by analyze's own flag parser. */
export function parseConfig(text: string, file: string): BatchConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BatchProjectError(file, `is not valid JSON (${(err as Error).message}); fix it or run 'voxelflow batch init' again`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BatchProjectError(file, 'must hold a JSON object with pipeline, outputs, retries and sampleColumn');
  const o = raw as Record<string, unknown>;
  const known = ['pipeline', 'outputs', 'retries', 'sampleColumn', 'lostLimit'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new BatchProjectError(file, `field '${k}' is not a batch option; the fields are ${known.join(', ')}`);
  const pipeline = o['pipeline'] ?? DEFAULT_CONFIG.pipeline;
  if (typeof pipeline !== 'object' || pipeline === null || Array.isArray(pipeline)) throw new BatchProjectError(file, "field 'pipeline' must be an object of analyze options, e.g. { \"above\": 400, \"box\": 1 }");
  for (const [k, v] of Object.entries(pipeline)) {
    const ok = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every((x) => typeof x === 'number'));
    if (!ok) throw new BatchProjectError(file, `field 'pipeline.${k}' must be a number, string, boolean or array of numbers, got ${JSON.stringify(v)}`);
  }
  const outputs = o['outputs'] ?? DEFAULT_CONFIG.outputs;
  if (!Array.isArray(outputs) || outputs.length === 0 || outputs.some((x) => typeof x !== 'string' || !(x in OUTPUT_FILES)) || new Set(outputs).size !== outputs.length) {
    throw new BatchProjectError(file, `field 'outputs' must list some of ${Object.keys(OUTPUT_FILES).map((k) => `"${k}"`).join(', ')} (each once), got ${JSON.stringify(outputs)}`);
  }
  const whole = (name: string, fallback: number, min: number): number => {
    const v = o[name] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 1000) throw new BatchProjectError(file, `field '${name}' must be a whole number in ${min}..1000, got ${JSON.stringify(v)}`);
    return v;
  };
  const sampleColumn = o['sampleColumn'] ?? DEFAULT_CONFIG.sampleColumn;
  if (typeof sampleColumn !== 'string' || sampleColumn === '' || sampleColumn === 'item' || sampleColumn === 'input') {
    throw new BatchProjectError(file, `field 'sampleColumn' must name a manifest column other than item and input, got ${JSON.stringify(sampleColumn)}`);
  }
  return {
    pipeline: pipeline as Record<string, PipelineValue>,
    outputs: outputs as OutputName[],
    retries: whole('retries', DEFAULT_CONFIG.retries, 0),
    sampleColumn,
    lostLimit: whole('lostLimit', DEFAULT_CONFIG.lostLimit, 1),
  };
}

/** sha256 of the pipeline (keys sorted), the outputs and the version. */
export function pipelineHash(config: BatchConfig, version: string): string {
  const pipeline = Object.fromEntries(Object.entries(config.pipeline).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(JSON.stringify({ pipeline, outputs: [...config.outputs].sort(), version })).digest('hex');
}
