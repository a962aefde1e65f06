/**
 * Runs scipy.ndimage from the kernel tests: arrays go to python3 as `.npy` files in a temporary
 * directory, one python process runs a batch of jobs, and the results come back as `.npy` files.
 *
 * @example
 *   const missing = scipyMissing(); // null, or what is missing ("python3", "numpy", "scipy")
 *   const [smooth] = runScipy([{ op: 'uniform', input: img, shape, size: 3, mode: 'reflect' }]);
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { dtypeOf, type TypedArray } from '../../../imaging/dtype.js';
import type { Shape3 } from '../../../imaging/volume.js';

/** One scipy call. Arrays are C-order `[z][y][x]`; `squeeze` drops the axes of extent 1 first (2D images). */
export type ScipyJob =
  | { op: 'uniform'; input: TypedArray; shape: Shape3; squeeze?: boolean; size: number; mode: string }
  | { op: 'label'; input: Uint8Array; shape: Shape3; squeeze?: boolean; connectivity: 1 | 2 | 3 }
  | { op: 'centroids'; input: Uint32Array; shape: Shape3; squeeze?: boolean; intensity: TypedArray };

const DESCR = { u8: '|u1', u16: '<u2', i16: '<i2', u32: '<u4', i32: '<i4', f32: '<f4', f64: '<f8' } as const;

/** Encodes an array as a version 1.0 `.npy` file (little endian, header padded to 64 bytes). */
export function encodeNpy(data: TypedArray, shape: readonly number[]): Buffer {
  const dtype = dtypeOf(data)!;
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += `${' '.repeat(63 - ((10 + header.length) % 64))}\n`;
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** Decodes a little-endian C-order `.npy` file of the dtypes the script writes (f4, f8, u4). */
export function decodeNpy(bytes: Buffer): { data: Float32Array | Float64Array | Uint32Array; shape: number[] } {
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.toString('latin1', 10, 10 + headerLength);
  const descr = /'descr': '([^']+)'/.exec(header)?.[1];
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').filter((s) => s.trim() !== '').map(Number);
  const body = bytes.subarray(10 + headerLength);
  const copy = new Uint8Array(body).buffer; // aligned
  if (descr === '<f4') return { data: new Float32Array(copy), shape };
  if (descr === '<f8') return { data: new Float64Array(copy), shape };
  if (descr === '<u4') return { data: new Uint32Array(copy), shape };
  throw new Error(`decodeNpy: unexpected descr ${descr}`);
}

const SCRIPT = `
import json, sys
import numpy as np
from scipy import ndimage as ndi
folder = sys.argv[1]
for k, job in enumerate(json.load(open(folder + '/jobs.json'))):
    x = np.load(f'{folder}/in{k}.npy')
    if job.get('squeeze'):
        x = x.reshape([n for n in x.shape if n > 1])
    if job['op'] == 'uniform':
        out = [ndi.uniform_filter(x.astype(np.float32), size=job['size'], mode=job['mode'], cval=0.0)]
    elif job['op'] == 'label':
        labels, n = ndi.label(x, structure=ndi.generate_binary_structure(x.ndim, job['connectivity']))
        out = [labels.astype(np.uint32), np.array([n], dtype=np.uint32)]
    else:
        weights = np.load(f'{folder}/in{k}i.npy')
        weights = weights.reshape(x.shape)
        index = np.arange(1, int(x.max()) + 1)
        com = ndi.center_of_mass(np.ones(x.shape), x, index)
        out = [np.asarray(com, dtype=np.float64).reshape(len(index), x.ndim), np.asarray(ndi.mean(weights, x, index), dtype=np.float64)]
    for j, o in enumerate(out):
        np.save(f'{folder}/out{k}_{j}.npy', np.ascontiguousarray(o))
`;

/** What is missing for the scipy comparisons ("python3", "numpy" or "scipy"), or null when all is there. */
export function scipyMissing(): string | null {
  for (const [what, code] of [['python3', 'pass'], ['numpy', 'import numpy'], ['scipy', 'import scipy.ndimage']] as const) {
    const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
    if (r.error !== undefined || r.status !== 0) return what;
  }
  return null;
}

/** Runs the jobs in one python3 process; each result is the list of arrays the job produced. */
export function runScipy(jobs: readonly ScipyJob[]): { data: Float32Array | Float64Array | Uint32Array; shape: number[] }[][] {
  const folder = mkdtempSync(join(tmpdir(), 'voxelflow-scipy-'));
  try {
    jobs.forEach((job, k) => {
      writeFileSync(join(folder, `in${k}.npy`), encodeNpy(job.input, job.shape));
      if (job.op === 'centroids') writeFileSync(join(folder, `in${k}i.npy`), encodeNpy(job.intensity, job.shape));
    });
    writeFileSync(join(folder, 'jobs.json'), JSON.stringify(jobs.map(({ input: _input, ...rest }) => ({ ...rest, intensity: undefined }))));
    const r = spawnSync('python3', ['-c', SCRIPT, folder], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`python3 failed (${r.status ?? r.signal}): ${r.stderr}`);
    return jobs.map((job, k) => {
      const count = job.op === 'uniform' ? 1 : 2;
      return Array.from({ length: count }, (_, j) => decodeNpy(readFileSync(join(folder, `out${k}_${j}.npy`))));
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
