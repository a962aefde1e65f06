/**
 * NRRD (teem): a `NRRD000N` magic line, `field: value` lines, a blank line, then the data (`.nrrd`),
 * or a header alone naming its `data file` (`.nhdr`). Raw data is read by byte ranges; gzip data is
 * decoded whole on first use. Spec: https://teem.sourceforge.net/nrrd/format.html
 */
import type { DType } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import { openDataFile } from './data-file.js';
import { dataFilePath } from './data-file-path.js';
import { withFile } from './file-bytes.js';
import { headerLines, numbers } from './header-text.js';
import { failFor, type Fail } from './image-format-error.js';
import type { ImageSource, OpenOptions } from './image-source.js';

/** NRRD type names (after lower-casing and squeezing spaces) that map to a voxelflow dtype. */
const TYPES: Readonly<Record<string, DType>> = {
  uchar: 'u8', 'unsigned char': 'u8', uint8: 'u8', uint8_t: 'u8',
  short: 'i16', 'short int': 'i16', 'signed short': 'i16', 'signed short int': 'i16', int16: 'i16', int16_t: 'i16',
  ushort: 'u16', 'unsigned short': 'u16', 'unsigned short int': 'u16', uint16: 'u16', uint16_t: 'u16',
  int: 'i32', 'signed int': 'i32', int32: 'i32', int32_t: 'i32',
  uint: 'u32', 'unsigned int': 'u32', uint32: 'u32', uint32_t: 'u32',
  float: 'f32', double: 'f64',
};

/** Opens a `.nrrd` or `.nhdr` file; a detached data file must be in the header's folder unless `allowOutsideData`. */
export function openNrrd(path: string, options: OpenOptions = {}): ImageSource {
  const fail: Fail = failFor(path, 'nrrd');
  const header = withFile(path, fail, (fd, size) => readHeader(fd, size, fail));
  const fields = header.fields;
  const { dtype, shape, dimension } = geometry(fields, fail);
  const endian = fields.get('endian') ?? 'little';
  if (endian !== 'little' && endian !== 'big') fail(`unknown endian '${endian}'`, "use 'little' or 'big'");
  const littleEndian = endian === 'little';
  const encoding = fields.get('encoding') ?? '';
  if (!['raw', 'gzip', 'gz'].includes(encoding)) fail(`encoding '${encoding}' is not supported (voxelflow reads raw and gzip)`, 'save it with encoding raw or gzip');
  if (Number(fields.get('line skip') ?? 0) !== 0) fail("'line skip' is not supported", "use 'byte skip' instead");
  const byteSkip = Number(fields.get('byte skip') ?? 0);
  if (!Number.isSafeInteger(byteSkip) || byteSkip < -1) fail(`byte skip '${fields.get('byte skip')}' is not an integer >= -1`, 'fix the header');
  const dataField = fields.has('data file') ? 'data file' : 'datafile';
  const dataName = fields.get(dataField);
  if (dataName !== undefined && (dataName.startsWith('LIST') || dataName.includes('%') || /\s/.test(dataName))) {
    fail(`data file '${dataName}' (one file per slice) is not supported`, 'merge the slices into one data file');
  }
  if (encoding !== 'raw' && byteSkip === -1) fail("'byte skip: -1' cannot be used with gzip encoding", 'fix the header');
  const start = dataName === undefined ? header.end : 0;
  return openDataFile(
    {
      path, format: 'nrrd', shape, dtype, spacing: spacingOf(fields, dimension), littleEndian,
      dataFile: dataName === undefined ? path : dataFilePath(path, dataField, dataName, options.allowOutsideData === true, fail),
      dataName: dataName ?? 'the file',
      // Byte skip counts raw bytes, or decoded bytes of a compressed stream.
      start: encoding === 'raw' ? (byteSkip === -1 ? -1 : start + byteSkip) : start,
      ...(encoding === 'raw' ? {} : { compressed: { skip: byteSkip } }),
    },
    fail,
  );
}

/** The dtype and shape from `type`, `dimension` and `sizes` (x first). */
function geometry(fields: ReadonlyMap<string, string>, fail: Fail): { dtype: DType; shape: Shape3; dimension: number } {
  const typeName = (fields.get('type') ?? '').toLowerCase().replace(/\s+/g, ' ');
  const dtype = TYPES[typeName];
  if (dtype === undefined) fail(`type '${typeName}' is not supported (voxelflow reads uint8, int16, uint16, int32, uint32, float, double)`, 'convert the image to one of those types');
  const sizes = numbers(fields.get('sizes') ?? '');
  const dimension = Number(fields.get('dimension'));
  if (sizes === null || sizes.length !== dimension || (dimension !== 2 && dimension !== 3) || !sizes.every((d) => Number.isSafeInteger(d) && d > 0)) {
    fail(`dimension ${fields.get('dimension')} and sizes '${fields.get('sizes') ?? ''}' do not describe a 2D or 3D image`, 'fix the header');
  }
  return { dtype, shape: [sizes[2] ?? 1, sizes[1]!, sizes[0]!], dimension };
}

/** Reads the magic line and `field: value` lines up to the blank line (or the end of a `.nhdr`). */
function readHeader(fd: number, size: number, fail: Fail): { fields: Map<string, string>; end: number } {
  const lines = headerLines(fd, size, fail);
  if (!/^NRRD000\d$/.test(lines[0]?.text ?? '')) fail('not an NRRD file (no NRRD000N magic line)', 'pass the right format');
  const fields = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.text === '') return { fields, end: line.end };
    if (line.text.startsWith('#') || line.text.includes(':=')) continue;
    const colon = line.text.indexOf(': ');
    if (colon === -1) fail(`corrupt header line '${line.text.slice(0, 40)}'`, "each field line is 'name: value'");
    const name = line.text.slice(0, colon).toLowerCase();
    const value = line.text.slice(colon + 2).trim();
    fields.set(name, value);
    // `data file: LIST` ends the fields: the lines after it are the slice files' names.
    if ((name === 'data file' || name === 'datafile') && value.startsWith('LIST')) return { fields, end: line.end };
  }
  const last = lines[lines.length - 1];
  if (fields.has('data file') || fields.has('datafile')) return { fields, end: last?.end ?? 0 };
  return fail('the header has no blank line before the data', 're-export the file');
}

/** Voxel size `[z, y, x]` from `spacings` or the lengths of the `space directions` vectors. */
function spacingOf(fields: ReadonlyMap<string, string>, dimension: number): readonly [number, number, number] | undefined {
  let values: number[] | null = null;
  const spacings = fields.get('spacings');
  const directions = fields.get('space directions');
  if (spacings !== undefined) {
    values = numbers(spacings);
  } else if (directions !== undefined) {
    const vectors = directions.match(/\([^)]*\)/g) ?? [];
    values = vectors.map((v) => Math.hypot(...v.slice(1, -1).split(',').map(Number)));
  }
  if (values === null || values.length !== dimension || !values.every((v) => Number.isFinite(v) && v > 0)) return undefined;
  return [values[2] ?? 1, values[1]!, values[0]!];
}
