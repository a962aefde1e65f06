/**
 * MetaImage (ITK): `.mha` holds a `Key = Value` text header and the voxels in one file; `.mhd` is the
 * header alone and names a data file (`ElementDataFile = LOCAL` means "right after this line").
 * ElementDataFile is always the last header line. Zlib-compressed data is decoded whole.
 * Spec: https://itk.org/Wiki/ITK/MetaIO/Documentation
 */
import type { DType } from '../dtype.js';
import type { Shape3 } from '../volume.js';
import { openDataFile } from './data-file.js';
import { dataFilePath } from './data-file-path.js';
import { withFile } from './file-bytes.js';
import { headerLines, numbers } from './header-text.js';
import { failFor, type Fail } from './image-format-error.js';
import type { ImageSource, OpenOptions } from './image-source.js';

const ELEMENT_TYPES: Readonly<Record<string, DType>> = {
  MET_UCHAR: 'u8', MET_USHORT: 'u16', MET_SHORT: 'i16', MET_UINT: 'u32', MET_INT: 'i32',
  MET_ULONG: 'u32', MET_LONG: 'i32', MET_FLOAT: 'f32', MET_DOUBLE: 'f64',
};

/** What the header says, before the data file is located. */
interface MetaHeader {
  readonly fields: ReadonlyMap<string, string>;
  /** Byte offset just past the ElementDataFile line. */
  readonly end: number;
}

/** Opens a `.mha` or `.mhd` file; a detached data file must be in the header's folder unless `allowOutsideData`. */
export function openMetaImage(path: string, options: OpenOptions = {}): ImageSource {
  const fail: Fail = failFor(path, 'mha');
  const header = withFile(path, fail, (fd, size) => readHeader(fd, size, fail));
  const get = (key: string): string | undefined => header.fields.get(key.toLowerCase());
  const { dtype, shape, ndims } = geometry(get, fail);
  if ((get('ElementNumberOfChannels') ?? '1') !== '1') fail(`has ${get('ElementNumberOfChannels')} channels per voxel`, 'save one channel per file');
  if (isFalse(get('BinaryData'))) fail('ASCII (BinaryData = False) data is not supported', 'save it with BinaryData = True');
  const littleEndian = !(isTrue(get('BinaryDataByteOrderMSB')) || isTrue(get('ElementByteOrderMSB')));
  const spacingValues = numbers(get('ElementSpacing') ?? get('ElementSize') ?? '');
  const spacing = spacingValues?.length === ndims && spacingValues.every((s) => s > 0)
    ? ([spacingValues[2] ?? 1, spacingValues[1]!, spacingValues[0]!] as const)
    : undefined;
  const dataName = get('ElementDataFile') ?? '';
  if (/^LIST(\s|$)/.test(dataName) || dataName.includes('%')) fail(`ElementDataFile '${dataName}' (one file per slice) is not supported`, 'merge the slices into one data file');
  const local = dataName === 'LOCAL';
  const compressedSize = get('CompressedDataSize');
  return openDataFile(
    {
      path, format: 'mha', shape, dtype, spacing, littleEndian,
      dataFile: local ? path : dataFilePath(path, 'ElementDataFile', dataName, options.allowOutsideData === true, fail),
      dataName: local ? 'the file' : dataName,
      start: local ? header.end : Number(get('HeaderSize') ?? 0),
      ...(isTrue(get('CompressedData')) ? { compressed: { length: compressedSize === undefined ? undefined : Number(compressedSize), skip: 0 } } : {}),
    },
    fail,
  );
}

/** The dtype and shape from `ElementType`, `NDims` and `DimSize` (x first). */
function geometry(get: (key: string) => string | undefined, fail: Fail): { dtype: DType; shape: Shape3; ndims: number } {
  const dims = numbers(get('DimSize') ?? '');
  const ndims = Number(get('NDims') ?? dims?.length ?? Number.NaN);
  if (dims === null || dims.length !== ndims || (ndims !== 2 && ndims !== 3) || !dims.every((d) => Number.isSafeInteger(d) && d > 0)) {
    fail(`NDims ${get('NDims')} and DimSize '${get('DimSize') ?? ''}' do not describe a 2D or 3D image`, 'fix the header');
  }
  const elementType = (get('ElementType') ?? '').toUpperCase();
  const dtype = ELEMENT_TYPES[elementType];
  if (dtype === undefined) {
    fail(`ElementType '${elementType}' is not supported (voxelflow reads MET_UCHAR, MET_USHORT, MET_SHORT, MET_UINT, MET_INT, MET_FLOAT, MET_DOUBLE)`, 'convert the image to one of those types');
  }
  return { dtype, shape: [dims[2] ?? 1, dims[1]!, dims[0]!], ndims };
}

/** Reads `Key = Value` lines up to and including ElementDataFile. */
function readHeader(fd: number, size: number, fail: Fail): MetaHeader {
  const fields = new Map<string, string>();
  for (const line of headerLines(fd, size, fail)) {
    const eq = line.text.indexOf('=');
    if (eq === -1) {
      if (line.text.trim() === '') continue;
      fail(`not a MetaImage header: line '${line.text.slice(0, 40)}' has no '='`, 'pass the right format');
    }
    const key = line.text.slice(0, eq).trim().toLowerCase();
    fields.set(key, line.text.slice(eq + 1).trim());
    if (key === 'elementdatafile') return { fields, end: line.end };
  }
  return fail('no ElementDataFile line in the header', 'add ElementDataFile = LOCAL (data follows) or the data file name');
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|1)$/i.test(value);
}

function isFalse(value: string | undefined): boolean {
  return value !== undefined && /^(false|0)$/i.test(value);
}
