import { describe, expect, it } from 'vitest';
import { Array1Decoder, array1Message, type FrameEvent, type StreamEvent } from '../../streaming/index.js';

const frame = (n: number, extra: object = {}): Buffer[] => array1Message({ frame: n, shape: [2, 3], dtype: 'u16', bytes: new Uint8Array(12).fill(n), ...extra });
const kinds = (events: StreamEvent[]): string[] => events.map((e) => (e.kind === 'frame' ? `frame ${e.series}:${e.frame}` : e.kind === 'series-start' || e.kind === 'series-end' ? `${e.kind} ${e.series}` : e.kind));

describe('PSI array-1.0 decoder', () => {
  it('starts a scan on the first frame and a new one on a frame-number reset', () => {
    const d = new Array1Decoder();
    const seen = [0, 1, 2, 0, 1].flatMap((n) => kinds(d.decode(frame(n))));
    expect(seen).toEqual(['series-start 1', 'frame 1:0', 'frame 1:1', 'frame 1:2', 'series-end 1', 'series-start 2', 'frame 2:0', 'frame 2:1']);
  });

  it('keeps out-of-order and duplicate frames in the scan (within the reorder window)', () => {
    const d = new Array1Decoder();
    const seen = [0, 2, 1, 2, 5, 3].flatMap((n) => kinds(d.decode(frame(n))));
    expect(seen.filter((s) => s.startsWith('series'))).toEqual(['series-start 1']);
  });

  it('ends the scan on idle and reads scan metadata from the first header', () => {
    const d = new Array1Decoder();
    const start = d.decode(frame(0, { scan: { nProjections: 3, nDarks: 1 } }))[0];
    expect(start).toMatchObject({ kind: 'series-start', expected: 4 });
    expect(kinds(d.idle())).toEqual(['series-end 1']);
    expect(d.idle()).toEqual([]);
  });

  it('reads [z, y, x] chunks and big-endian data', () => {
    const d = new Array1Decoder();
    const parts = [Buffer.from(JSON.stringify({ htype: 'array-1.0', type: 'uint16', shape: [2, 1, 2], frame: 0, endianness: 'big' })), Buffer.from([0, 1, 0, 2, 0, 3, 0, 4])];
    const f = d.decode(parts)[1] as FrameEvent;
    expect(f).toMatchObject({ kind: 'frame', depth: 2, shape: [1, 2] });
    expect([...new Uint16Array(Uint8Array.from(f.bytes).buffer)]).toEqual([1, 2, 3, 4]);
  });

  it('counts bad messages as malformed without crashing', () => {
    const d = new Array1Decoder();
    d.decode(frame(0));
    const bad = (parts: Buffer[]): StreamEvent | undefined => d.decode(parts).find((e) => e.kind === 'malformed');
    expect(bad([Buffer.from('nope')])).toMatchObject({ reason: 'bad-json' });
    expect(bad([Buffer.from(JSON.stringify({ htype: 'array-1.0', type: 'uint16', shape: [2, 3] }))])).toMatchObject({ reason: 'bad-header' });
    expect(bad([frame(1)[0] as Buffer, Buffer.alloc(11)])).toMatchObject({ reason: 'bad-blob-size', series: '1', frame: 1 });
    expect(bad([frame(2)[0] as Buffer])).toMatchObject({ reason: 'bad-multipart' });
    expect(bad([Buffer.from(JSON.stringify({ htype: 'array-1.0', type: 'complex', shape: [2, 3], frame: 3 })), Buffer.alloc(12)])).toMatchObject({ reason: 'bad-header' });
    expect(bad([Buffer.from(JSON.stringify({ htype: 'bsread-1.0', frame: 3 }))])).toMatchObject({ reason: 'unknown-htype' });
  });
});
