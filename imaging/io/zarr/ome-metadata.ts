/**
 * The JSON documents of the stores voxelflow writes: Zarr v3 array metadata per pyramid level, and
 * the OME-Zarr 0.5 image group (`multiscales` with z, y, x space axes and one scale per level), with
 * `image-label` for label images and the `labels` group that lists the labels of an image.
 */
import type { DType } from '../../dtype.js';
import type { Shape3 } from '../../volume.js';
import type { WriteCodec } from './chunk-codecs.js';

/** OME-Zarr version written. */
export const OME_VERSION = '0.5';

const V3_NAMES: Readonly<Record<DType, string>> = {
  u8: 'uint8', u16: 'uint16', i16: 'int16', u32: 'uint32', i32: 'int32', f32: 'float32', f64: 'float64',
};

/** `zarr.json` of a 3D array with one file per chunk (`c/z/y/x`), little endian, fill value 0. */
export function arrayJson(shape: Shape3, chunkShape: Shape3, dtype: DType, codecs: readonly WriteCodec[]): object {
  return {
    zarr_format: 3,
    node_type: 'array',
    shape,
    data_type: V3_NAMES[dtype],
    chunk_grid: { name: 'regular', configuration: { chunk_shape: chunkShape } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    fill_value: 0,
    codecs: [
      { name: 'bytes', configuration: { endian: 'little' } },
      ...codecs.map((c) => (c.name === 'crc32c' ? { name: 'crc32c' } : { name: c.name, configuration: { level: c.level } })),
    ],
    attributes: {},
    dimension_names: ['z', 'y', 'x'],
  };
}

/** The image group's `zarr.json`: one dataset per level, level k scaled by `factors[k]`. */
export function imageGroupJson(name: string, spacing: Shape3, factors: readonly Shape3[], label: boolean): object {
  const ome: Record<string, unknown> = {
    version: OME_VERSION,
    multiscales: [
      {
        name,
        axes: ['z', 'y', 'x'].map((a) => ({ name: a, type: 'space' })),
        datasets: factors.map((f, k) => ({
          path: String(k),
          coordinateTransformations: [{ type: 'scale', scale: [spacing[0] * f[0], spacing[1] * f[1], spacing[2] * f[2]] }],
        })),
      },
    ],
  };
  // A label image points back at the image it labels: labels/NAME sits two levels below it.
  if (label) ome['image-label'] = { source: { image: '../../' } };
  return { zarr_format: 3, node_type: 'group', attributes: { ome } };
}

/** `labels/zarr.json`, listing the label images of an image. */
export function labelsGroupJson(names: readonly string[]): object {
  return { zarr_format: 3, node_type: 'group', attributes: { ome: { version: OME_VERSION, labels: names } } };
}
