/**
 * TIFFs from other tools: tifffile (with imagecodecs for LZW/PackBits) and Pillow write files in both
 * byte orders with every compression this layer reads; the arrays are also saved with np.save as the
 * reference. The other direction: tifffile reads what `writeImage` writes. Skipped, with a message,
 * when no interpreter has the modules (test/helpers/python.ts tries VOXELFLOW_PYTHON, python3, /usr/bin/python3).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { Context } from '../../../index.js';
import { readImage, writeImage, type TiffCompression } from '../../../imaging/io/index.js';
import { PYTHONS } from '../../helpers/python.js';
import { ALL_DTYPES, expectVolumeEqual, makeVolume, PYTHON, pythonHas, runPython, tempDir } from './helpers.js';

const dir = tempDir();

/** Reads every `<name>.tif` next to its `<name>.npy` reference and compares. */
function expectPairsEqual(prefix: string): number {
  const names = readdirSync(dir).filter((n) => n.startsWith(prefix) && n.endsWith('.tif'));
  for (const name of names) {
    const tif = readImage(join(dir, name));
    const ref = readImage(join(dir, name.replace(/\.tif$/, '.npy')));
    try {
      expectVolumeEqual(tif, ref);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
  }
  return names.length;
}

const hasTifffile = pythonHas('numpy', 'tifffile');
describe.skipIf(!hasTifffile)(`TIFF written by tifffile${hasTifffile ? '' : ` (skipped: needs numpy and tifffile in one of ${PYTHONS.join(', ')}; apt-get install python3-tifffile)`}`, () => {
  // Without imagecodecs, tifffile still does uncompressed and zlib (Deflate) TIFFs, without predictors.
  const codecs = hasTifffile && pythonHas('imagecodecs');
  const comps = codecs ? "[None, 'lzw', 'adobe_deflate', 'deflate', 'packbits']" : "[None, 'adobe_deflate', 'deflate']";
  const preds = codecs ? '[False, True]' : '[False]';

  const partial = codecs ? '' : ` (LZW, PackBits and predictors not covered: imagecodecs is not installed in ${PYTHON})`;
  it(`reads every dtype, byte order, compression, predictor, tiles and BigTIFF${partial}`, () => {
    runPython(`
import numpy as np, tifffile, itertools
d = ${JSON.stringify(dir)}
rng = np.random.default_rng(3)
for dt in ['uint8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64']:
    info = np.iinfo(dt) if dt[0] in 'ui' else None
    a = (rng.integers(info.min, info.max, (3, 21, 19), endpoint=True, dtype=dt) if info else (rng.standard_normal((3, 21, 19)) * 1e3).astype(dt))
    a[:, :5, :] = a[0, 0, 0]
    for bo, comp, pred, extra in itertools.product('<>', ${comps}, ${preds}, ['strips', 'tiles', 'big']):
        if pred and comp in (None, 'packbits'):
            continue
        kw = dict(byteorder=bo, compression=comp, photometric='minisblack', rowsperstrip=4)
        if pred:
            kw['predictor'] = True
        if extra == 'tiles':
            kw['tile'] = (16, 16); del kw['rowsperstrip']
        if extra == 'big':
            kw['bigtiff'] = True
        name = f"tf-{dt}-{'le' if bo == '<' else 'be'}-{comp}-{int(pred)}-{extra}"
        tifffile.imwrite(f'{d}/{name}.tif', a, **kw)
        np.save(f'{d}/{name}.npy', a)
`);
    // 7 dtypes x 2 byte orders x (5 compressions + 3 with a predictor, or 3 without imagecodecs) x (strips, tiles, BigTIFF)
    expect(expectPairsEqual('tf-')).toBe(codecs ? 336 : 126);
  });

  it('reads ImageJ spacing written by tifffile, and tifffile reads the spacing written here', () => {
    runPython(`
import numpy as np, tifffile
a = np.arange(3 * 4 * 5, dtype='uint16').reshape(3, 4, 5)
tifffile.imwrite(${JSON.stringify(join(dir, 'ij.tif'))}, a, imagej=True, resolution=(1 / 0.25, 1 / 0.5), metadata={'spacing': 2.5, 'unit': 'um'})
`);
    const v = readImage(join(dir, 'ij.tif'));
    expect(v.spacing?.map((s) => Number(s.toFixed(6)))).toEqual([2.5, 0.5, 0.25]);
    writeImage(join(dir, 'ij-out.tif'), { ...v, spacing: [3, 0.2, 0.1] });
    const out = runPython(`
import tifffile
with tifffile.TiffFile(${JSON.stringify(join(dir, 'ij-out.tif'))}) as t:
    p = t.pages[0]
    x = p.tags['XResolution'].value
    print(float(t.imagej_metadata['spacing']), round(x[1] / x[0], 6), len(t.pages))
`);
    expect(out.trim()).toBe('3.0 0.1 3');
  });

  it('reads uncompressed TIFFs written by the tasks (headers first, voxels in C order), every dtype, with spacing', async () => {
    const ctx = await Context.create({ master: 'local[2]' });
    try {
      for (const dtype of ALL_DTYPES) {
        const v = makeVolume(dtype, [5, 70, 45]);
        // Blocks that split x, so that rows of blocks are written together (block-writer.ts).
        await ctx.images.fromArray(v.data, [5, 70, 45], { blockShape: [2, 30, 20], spacing: [3, 0.2, 0.1] }).write(join(dir, `tasks-${dtype}.tif`));
        writeImage(join(dir, `tasks-${dtype}.ref.npy`), v);
      }
    } finally {
      await ctx.stop();
    }
    const out = runPython(`
import numpy as np, tifffile, glob
bad = []
for f in sorted(glob.glob(${JSON.stringify(join(dir, 'tasks-*.tif'))})):
    with tifffile.TiffFile(f) as t:
        a = t.asarray()
        spacing = float(t.imagej_metadata['spacing'])
        x = t.pages[0].tags['XResolution'].value
    if len(t.pages) != 5 or not np.array_equal(a, np.load(f[:-4] + '.ref.npy')) or spacing != 3.0 or round(x[1] / x[0], 6) != 0.1:
        bad.append(f)
print(len(bad), bad)
`);
    expect(out.trim()).toBe('0 []');
  });

  it.each((codecs ? ['none', 'lzw', 'deflate', 'packbits'] : ['none', 'deflate']) as TiffCompression[])('writes %s TIFFs that tifffile reads', (compression: TiffCompression) => {
    for (const dtype of ALL_DTYPES) {
      const v = makeVolume(dtype, [3, 70, 45]);
      writeImage(join(dir, `out-${compression}-${dtype}.tif`), v, { compression });
      writeImage(join(dir, `out-${compression}-${dtype}.ref.npy`), v);
    }
    const out = runPython(`
import numpy as np, tifffile, glob
bad = []
for f in sorted(glob.glob(${JSON.stringify(join(dir, `out-${compression}-*.tif`))})):
    with tifffile.TiffFile(f) as t:
        a = t.asarray()
        n = len(t.pages)
    if n != 3 or not np.array_equal(a, np.load(f[:-4] + '.ref.npy')):
        bad.append(f)
print(len(bad), bad)
`);
    expect(out.trim()).toBe('0 []');
  });
});

const hasPillow = pythonHas('numpy', 'PIL');
describe.skipIf(!hasPillow)(`TIFF written by Pillow${hasPillow ? '' : ` (skipped: needs numpy and Pillow (PIL) in one of ${PYTHONS.join(', ')}; apt-get install python3-pil)`}`, () => {

  it('reads 8-bit, 16-bit and float pages with libtiff LZW, Deflate and PackBits', () => {
    runPython(`
import numpy as np
from PIL import Image
d = ${JSON.stringify(dir)}
rng = np.random.default_rng(5)
arrays = {'u8': rng.integers(0, 255, (33, 27), dtype='uint8'), 'u16': rng.integers(0, 65535, (33, 27), dtype='uint16'),
          'f32': rng.standard_normal((33, 27)).astype('float32')}
for k, a in arrays.items():
    a[:10] = 7
    for comp in ['raw', 'tiff_lzw', 'tiff_adobe_deflate', 'packbits']:
        Image.fromarray(a).save(f'{d}/pil-{k}-{comp}.tif', compression=comp)
        np.save(f'{d}/pil-{k}-{comp}.npy', a)
`);
    expect(expectPairsEqual('pil-')).toBe(12);
  });
});
