import { describe, expect, it } from 'vitest';
import { SimplonDecoder, simplonEnd, simplonHeader, simplonImage, type FrameEvent, type StreamEvent } from '../../streaming/index.js';

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const u16 = (values: number[]): Uint8Array => new Uint8Array(new Uint16Array(values).buffer);
const decode = (parts: Buffer[]): StreamEvent[] => new SimplonDecoder().decode(parts);
const only = (parts: Buffer[]): StreamEvent => {
  const e = decode(parts);
  expect(e).toHaveLength(1);
  return e[0] as StreamEvent;
};

describe('SIMPLON v1 decoder: headers', () => {
  it("reads header_detail 'none' with a tomography appendix", () => {
    const scan = { id: 'a', nProjections: 90, angleStart: 0, angleStep: 2, nDarks: 5, nFlats: 5, pixelSizeUm: 0.65 };
    expect(only([json({ htype: 'dheader-1.0', series: 7, header_detail: 'none' }), json({ scan })])).toEqual({ kind: 'series-start', series: '7', expected: 100, scan, frameShape: null });
  });

  it("takes the frame count from nimages x ntrigger with header_detail 'basic'", () => {
    const e = only([json({ htype: 'dheader-1.0', series: 3, header_detail: 'basic' }), json({ nimages: 10, ntrigger: 2 })]);
    expect(e).toMatchObject({ kind: 'series-start', series: '3', expected: 20, scan: null, frameShape: null });
  });

  it('takes the frame size from x_pixels_in_detector / y_pixels_in_detector, as [y, x]', () => {
    const header = (config: object): StreamEvent => only([json({ htype: 'dheader-1.0', series: 3, header_detail: 'basic' }), json(config)]);
    expect(header({ nimages: 2, x_pixels_in_detector: 40, y_pixels_in_detector: 30 })).toMatchObject({ frameShape: [30, 40] });
    for (const bad of [{ x_pixels_in_detector: 40 }, { x_pixels_in_detector: 0, y_pixels_in_detector: 30 }, { x_pixels_in_detector: 1e9, y_pixels_in_detector: 30 }, { x_pixels_in_detector: '40', y_pixels_in_detector: 30 }]) {
      expect(header(bad)).toMatchObject({ kind: 'series-start', frameShape: null });
    }
  });

  it("skips flat field, pixel mask and countrate parts with header_detail 'all' and checks their sizes", () => {
    const parts = [
      json({ htype: 'dheader-1.0', series: 1, header_detail: 'all' }),
      json({ nimages: 4 }),
      json({ htype: 'dflatfield-1.0', shape: [3, 2], type: 'float32' }),
      Buffer.alloc(24),
      json({ htype: 'dpixelmask-1.0', shape: [3, 2], type: 'uint32' }),
      Buffer.alloc(24),
      json({ scan: { nProjections: 4 } }),
    ];
    expect(only(parts)).toMatchObject({ kind: 'series-start', expected: 4 });
    parts[5] = Buffer.alloc(23);
    expect(only(parts)).toMatchObject({ kind: 'malformed', reason: 'bad-blob-size', series: '1' });
  });

  it('reads the simulator encoder output back', () => {
    expect(only(simplonHeader(5, 8, null, [4, 3]))).toMatchObject({ kind: 'series-start', series: '5', expected: 8 });
    expect(only(simplonEnd(5))).toEqual({ kind: 'series-end', series: '5' });
  });
});

describe('SIMPLON v1 decoder: images', () => {
  const pixels = u16([1, 2, 3, 4, 5, 6]);

  it("decodes a raw '<' frame with shape [x, y] into [y, x] and reads the appendix", () => {
    const e = only(simplonImage({ series: 2, frame: 4, shape: [2, 3], dtype: 'u16', bytes: pixels, encoding: 'none', frameType: 'projection', angle: 12.5 })) as FrameEvent;
    expect(e).toMatchObject({ kind: 'frame', series: '2', frame: 4, shape: [2, 3], depth: 1, dtype: 'u16', frameType: 'projection', angle: 12.5 });
    expect([...new Uint16Array(Uint8Array.from(e.bytes).buffer)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("decodes 'lz4<' blobs", () => {
    const big = new Uint8Array(new Uint16Array(64 * 32).map((_, i) => i % 50).buffer);
    const e = only(simplonImage({ series: 1, frame: 0, shape: [32, 64], dtype: 'u16', bytes: big, encoding: 'lz4' })) as FrameEvent;
    expect(Buffer.from(e.bytes).equals(Buffer.from(big))).toBe(true);
  });

  it("byte-swaps big-endian '>' frames", () => {
    const parts = simplonImage({ series: 1, frame: 0, shape: [1, 2], dtype: 'u16', bytes: u16([0x0102, 0x0304]), encoding: 'none' });
    parts[1] = json({ htype: 'dimage_d-1.0', shape: [2, 1], type: 'uint16', encoding: '>' });
    const e = only(parts) as FrameEvent;
    expect([...e.bytes]).toEqual([0x01, 0x02, 0x03, 0x04]);
  });

  it('counts bad input as malformed with a reason, attributed to its series and frame', () => {
    const good = (): Buffer[] => simplonImage({ series: 9, frame: 3, shape: [2, 3], dtype: 'u16', bytes: pixels, encoding: 'none' });
    const cases: [Buffer[], string][] = [
      [[Buffer.from('{not json')], 'bad-json'],
      [[json({ htype: 'dmystery-1.0' })], 'unknown-htype'],
      [[json({ htype: 'dseries_end-1.0' })], 'bad-header'],
      [good().slice(0, 3), 'bad-multipart'],
      [[...good(), json({}), json({})], 'bad-multipart'],
      [((p) => ((p[2] = (p[2] as Buffer).subarray(1)), p))(good()), 'bad-blob-size'],
      [((p) => ((p[1] = json({ htype: 'dimage_d-1.0', shape: [3, 2], type: 'uint16', encoding: 'bs16-lz4<' })), p))(good()), 'bad-encoding'],
      [((p) => ((p[1] = json({ htype: 'dimage_d-1.0', shape: [3, 2], type: 'complex64', encoding: '<' })), p))(good()), 'bad-header'],
      [((p) => ((p[1] = json({ htype: 'dimage_d-1.0', shape: [3, 2], type: 'uint16', encoding: 'lz4<' })), p))(good()), 'bad-blob-size'],
      [((p) => ((p[3] = json({ htype: 'dimage-1.0' })), p))(good()), 'bad-multipart'],
      // A huge shape with a tiny lz4 blob: refused without allocating gigabytes.
      [((p) => ((p[1] = json({ htype: 'dimage_d-1.0', shape: [1 << 20, 1 << 20], type: 'uint32', encoding: 'lz4<' })), p))(good()), 'bad-blob-size'],
      [((p) => ((p[1] = json({ htype: 'dimage_d-1.0', shape: [30000, 30000], type: 'uint16', encoding: 'lz4<' })), p))(good()), 'bad-blob-size'],
    ];
    for (const [parts, reason] of cases) expect(only(parts), reason).toMatchObject({ kind: 'malformed', reason });
    expect(only(cases[3]![0])).toMatchObject({ series: '9', frame: 3 });
  });

  it('peeks data and control messages without decoding pixels', () => {
    const d = new SimplonDecoder();
    expect(d.peek(simplonImage({ series: 4, frame: 8, shape: [2, 3], dtype: 'u16', bytes: pixels, encoding: 'none' }))).toEqual({ kind: 'data', series: '4', frame: 8 });
    expect(d.peek(simplonEnd(4))).toEqual({ kind: 'control', series: null, frame: null });
    expect(d.peek(simplonHeader(4, 8, null, [2, 3]))).toEqual({ kind: 'control', series: null, frame: null });
    // Garbage may be dropped in live mode like frames, so it cannot pile up.
    expect(d.peek([Buffer.from('garbage')])).toEqual({ kind: 'data', series: null, frame: null });
  });
});
