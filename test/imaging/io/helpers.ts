/**
 * Shared fixtures for the image IO tests: a temp directory per file, volumes of every dtype with
 * values that exercise the whole range, a box slicer as the reference for `readRegion`, and a probe
 * for the Python modules the interop tests use (`VOXELFLOW_PYTHON` picks the interpreter).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, expect } from 'vitest';

import { allocate, type DType, type TypedArray } from '../../../imaging/dtype.js';
import type { Shape3, Volume } from '../../../imaging/volume.js';
import { findPython, PYTHONS } from '../../helpers/python.js';

export { expectVolumeEqual } from '../../helpers/volumes.js';

export const ALL_DTYPES: readonly DType[] = ['u8', 'u16', 'i16', 'u32', 'i32', 'f32', 'f64'];

/** A fresh temporary directory, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'voxelflow-io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A volume whose voxels differ from their neighbours and reach both ends of the dtype's range. */
export function makeVolume(dtype: DType, shape: Shape3, seed = 1): Volume {
  const n = shape[0] * shape[1] * shape[2];
  const data = allocate(dtype, n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = valueFor(dtype, s, i);
  }
  return { data, shape, dtype };
}

function valueFor(dtype: DType, s: number, i: number): number {
  switch (dtype) {
    case 'u8':
      return i % 7 === 0 ? 255 : s & 0xff;
    case 'u16':
      return i % 7 === 0 ? 65535 : i % 3 === 0 ? i & 0xffff : s & 0xffff;
    case 'i16':
      return i % 7 === 0 ? -32768 : (s & 0xffff) - 32768;
    case 'u32':
      return i % 7 === 0 ? 0xffffffff : s;
    case 'i32':
      return i % 7 === 0 ? -0x80000000 : s | 0;
    case 'f32':
      return Math.fround((s / 0xffffffff - 0.5) * 1e6);
    case 'f64':
      return i % 5 === 0 ? -1e300 : (s / 0xffffffff - 0.5) * 1e-3;
  }
}

/** The box `[origin, origin + size)` of a C-order volume, copied. */
export function sliceBox(v: Volume, origin: readonly number[], size: readonly number[]): TypedArray {
  const out = allocate(v.dtype, size[0]! * size[1]! * size[2]!);
  const [, Y, X] = v.shape;
  let at = 0;
  for (let z = 0; z < size[0]!; z++) {
    for (let y = 0; y < size[1]!; y++) {
      const from = ((origin[0]! + z) * Y + origin[1]! + y) * X + origin[2]!;
      out.set(v.data.subarray(from, from + size[2]!), at);
      at += size[2]!;
    }
  }
  return out;
}

/** Asserts same array type and bytes (fast for large arrays, unlike a deep `toEqual`). */
export function expectArrayEqual(actual: TypedArray, expected: TypedArray): void {
  expect(actual.constructor).toBe(expected.constructor);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (!a.equals(b)) expect(actual).toEqual(expected);
}

/** The Python interpreter for interop tests: the first with numpy, tifffile and Pillow, else with numpy (test/helpers/python.ts). */
export const PYTHON = findPython('numpy', 'tifffile', 'PIL') ?? findPython('numpy') ?? PYTHONS[0] ?? 'python3';

/** True when `PYTHON` can import every module named. */
export function pythonHas(...modules: string[]): boolean {
  const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  return r.status === 0;
}

/** Runs a Python script, failing the test with its stderr when it fails. */
export function runPython(script: string): string {
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}
