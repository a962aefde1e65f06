/**
 * Opens a Zarr store on disk: an array (v3 `zarr.json`, v2 `.zarray`) or an OME-Zarr image group
 * (0.5: `zarr.json` with `attributes.ome.multiscales`; 0.4: v2 `.zattrs` with `multiscales`), whose
 * full-resolution dataset is read and whose scale gives the spacing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failFor, type Fail } from '../image-format-error.js';
import type { ImageSource } from '../image-source.js';
import { parseV2Array, parseV3Array, type ZarrArrayMeta } from './zarr-array-meta.js';
import { ZarrSource } from './zarr-source.js';

/** The `openImage` entry for `.zarr` paths. */
export function openZarr(path: string): ImageSource {
  const fail = failFor(path, 'zarr');
  const { meta, spacing } = resolveArray(path, fail);
  return new ZarrSource(path, meta, spacing);
}

/** The array to read in the store at `path`, and the spacing its OME metadata gives. */
export function resolveArray(path: string, fail: Fail): { meta: ZarrArrayMeta; spacing: readonly [number, number, number] | undefined } {
  const v3 = readJson(path, 'zarr.json', fail);
  if (v3 !== null) {
    if (v3.node_type === 'array') return { meta: parseV3Array(v3, '', fail), spacing: undefined };
    const attrs = (v3.attributes ?? {}) as Record<string, unknown>;
    const ome = (attrs.ome ?? attrs) as Record<string, unknown>;
    return fromMultiscales(path, ome.multiscales, 'zarr.json', fail);
  }
  const zarray = readJson(path, '.zarray', fail);
  if (zarray !== null) return { meta: parseV2Array(zarray, '', fail), spacing: undefined };
  if (readJson(path, '.zgroup', fail) !== null) return fromMultiscales(path, readJson(path, '.zattrs', fail)?.multiscales, '.zattrs', fail);
  return fail('not a Zarr store: it has no zarr.json, .zarray or .zgroup', 'give the folder of a Zarr array or OME-Zarr image');
}

/** The first dataset of the first multiscale of an OME-Zarr image, and its scale as spacing. */
function fromMultiscales(path: string, multiscales: unknown, where: string, fail: Fail): ReturnType<typeof resolveArray> {
  const first = (Array.isArray(multiscales) ? multiscales[0] : undefined) as { datasets?: unknown } | undefined;
  const dataset = (Array.isArray(first?.datasets) ? first.datasets[0] : undefined) as { path?: unknown; coordinateTransformations?: unknown } | undefined;
  if (typeof dataset?.path !== 'string' || !/^[\w.-]+(\/[\w.-]+)*$/.test(dataset.path) || dataset.path.split('/').includes('..')) {
    return fail(`${where}: a Zarr group without OME-Zarr multiscales (or a dataset path that is not a plain relative name)`, 'give the folder of a Zarr array, or of an OME-Zarr image');
  }
  const arrayPath = dataset.path;
  const v3 = readJson(path, `${arrayPath}/zarr.json`, fail);
  const v2 = v3 === null ? readJson(path, `${arrayPath}/.zarray`, fail) : null;
  if (v3 === null && v2 === null) fail(`${where}: dataset '${arrayPath}' has no zarr.json or .zarray`, 'the store is incomplete; write it again');
  const meta = v3 !== null ? parseV3Array(v3, arrayPath, fail) : parseV2Array(v2!, arrayPath, fail);
  const scale = (Array.isArray(dataset.coordinateTransformations) ? dataset.coordinateTransformations : []).find((t: { type?: unknown }) => t?.type === 'scale') as { scale?: unknown } | undefined;
  const s = Array.isArray(scale?.scale) ? (scale.scale as unknown[]) : [];
  const last3 = meta.ndim === 2 ? [1, s[0], s[1]] : s.slice(-3);
  const spacing = last3.length === 3 && last3.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0) ? (last3 as [number, number, number]) : undefined;
  return { meta, spacing };
}

/** A JSON object at `key` of the store, or null when there is no such file. */
function readJson(root: string, key: string, fail: Fail): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(join(root, key), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    return fail(`cannot read ${key}: ${code ?? (err as Error).message}`, 'check the path and its permissions', err);
  }
  try {
    const doc: unknown = JSON.parse(text);
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch (err) {
    return fail(`${key} is not valid JSON`, 'the store is corrupt; write it again', err);
  }
  return fail(`${key} is not a JSON object`, 'the store is corrupt; write it again');
}
