/**
 * Reading rows of a stack of frames (`[frame][row][column]`) as float32: `.npy` and TIFF through the
 * image readers (which read only the bytes of the rows asked for), HDF5 datasets through h5wasm
 * hyperslabs. Each thread keeps its open stacks, keyed by the file's identity and modification time.
 */
import { statSync } from 'node:fs';
import { ImageFormatError, openImage, type ImageSource } from '../../imaging/io/index.js';
import { describeStack, type StackRef } from '../scan.js';
import { hdf5, isNumberArray } from './hdf5.js';

/** An open stack. */
export interface Stack {
  readonly ref: StackRef;
  /** `[frames, rows, columns]`. */
  readonly shape: readonly [number, number, number];
  /** Frames `[f0, f0 + frames)`, rows `[r0, r0 + rows)`, all columns, as float32 in C order. */
  readRows(f0: number, frames: number, r0: number, rows: number): Float32Array;
}

/** The most bytes one read may produce: a bigger slab is a sign of a wrong shape, or of too many rows per block. */
export const MAX_READ_BYTES = 2 ** 31;

const open = new Map<string, Stack>();

/** Opens `ref` (cached per thread). Throws `ImageFormatError` naming the file. */
export function openStack(ref: StackRef): Stack {
  if (ref.format === 'memory') return memoryStack(ref);
  const key = `${JSON.stringify(ref)}\0${fileVersion(ref.path)}`;
  let stack = open.get(key);
  if (stack === undefined) {
    stack = ref.format === 'hdf5' ? openHdf5Stack(ref) : imageStack(ref, openImage(ref.path, { format: ref.format }));
    if (open.size > 32) open.clear();
    open.set(key, stack);
  }
  return stack;
}

function checkRead(ref: StackRef, shape: readonly number[], f0: number, frames: number, r0: number, rows: number): void {
  if (f0 < 0 || r0 < 0 || frames < 0 || rows < 0 || f0 + frames > shape[0]! || r0 + rows > shape[1]!) {
    throw new RangeError(`${describeStack(ref)}: frames [${f0}, ${f0 + frames}) rows [${r0}, ${r0 + rows}) are outside its ${shape.join('x')} frames`);
  }
  if (frames * rows * shape[2]! * 4 > MAX_READ_BYTES) {
    throw new ImageFormatError(describeStack(ref), ref.format, `reading ${frames} frames of ${rows} rows of ${shape[2]} columns needs ${frames * rows * shape[2]! * 4} bytes`, 'reconstruct fewer rows per block (rowsPerBlock, --block) or check the file');
  }
}

function imageStack(ref: StackRef, src: ImageSource): Stack {
  const shape = [src.shape[0], src.shape[1], src.shape[2]] as const;
  return {
    ref,
    shape,
    readRows(f0, frames, r0, rows) {
      checkRead(ref, shape, f0, frames, r0, rows);
      const data = src.readRegion([f0, r0, 0], [frames, rows, shape[2]]);
      return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
    },
  };
}

/** Frames held in a broadcast variable (a streamed scan): reads copy the rows asked for. */
function memoryStack(ref: StackRef): Stack {
  const frames = ref.frames;
  const shape = ref.shape;
  if (frames === undefined || shape === undefined) throw new TypeError(`${ref.path}: a stack in memory needs its frames and shape`);
  return {
    ref,
    shape,
    readRows(f0, count, r0, rows) {
      checkRead(ref, shape, f0, count, r0, rows);
      const data = frames.value;
      const [, height, cols] = shape;
      const out = new Float32Array(count * rows * cols);
      for (let f = 0; f < count; f++) {
        const from = ((f0 + f) * height + r0) * cols;
        const to = f * rows * cols;
        for (let i = 0; i < rows * cols; i++) out[to + i] = data[from + i]!;
      }
      return out;
    },
  };
}

function openHdf5Stack(ref: StackRef): Stack {
  const h5 = hdf5();
  const name = ref.dataset ?? '/exchange/data';
  const file = new h5.File(ref.path, 'r');
  const dataset = file.get(name);
  if (!(dataset instanceof h5.Dataset)) {
    file.close();
    throw new ImageFormatError(ref.path, 'hdf5', `has no dataset ${name}`, 'write the scan as DXchange (/exchange/data, data_white, data_dark, theta)');
  }
  const dims = dataset.shape ?? [];
  if (dims.length !== 3 || dims.some((d) => !Number.isSafeInteger(d) || d < 1)) {
    file.close();
    throw new ImageFormatError(ref.path, 'hdf5', `${name} has shape (${dims.join(', ')}); a stack of frames is (frames, rows, columns)`, 'store the frames as a 3D dataset');
  }
  const shape = [dims[0]!, dims[1]!, dims[2]!] as const;
  return {
    ref,
    shape,
    readRows(f0, frames, r0, rows) {
      checkRead(ref, shape, f0, frames, r0, rows);
      const data = dataset.slice([[f0, f0 + frames], [r0, r0 + rows], [0, shape[2]]]) as unknown;
      if (!isNumberArray(data)) {
        throw new ImageFormatError(ref.path, 'hdf5', `${name} holds ${String(dataset.dtype)} values, not numbers voxelflow reads`, 'store the frames as integers or floats');
      }
      return data instanceof Float32Array ? data : Float32Array.from(data);
    },
  };
}

function fileVersion(path: string): string {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return '';
  }
}
