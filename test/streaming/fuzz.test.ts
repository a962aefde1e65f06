/**
 * Issue 13, fuzzing that stays: random and adversarial message sequences (huge counts and indices,
 * wrong shapes, truncated blobs, reordered and duplicated frames, missing ends, live-mode drops)
 * through the SIMPLON v1 and array-1.0 decoders and the scan assembler, as BeamlineStream feeds them.
 * Every message must be accounted, memory must stay within the scan bound, and a valid series after
 * any of it must come out complete and exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Array1Decoder, ScanAssembler, SimplonDecoder, lz4EncodeBlock, type AssembledScan, type FrameEvent, type ProtocolDecoder } from '../../streaming/index.js';

const MAX_SCAN_BYTES = 4096; // ~12 frames of 2 x 2 u16 with bookkeeping: the bound is hit often
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

/** A message, and whether live mode dropped it before decoding. */
interface Msg {
  readonly parts: Buffer[];
  readonly dropped: boolean;
}

const seriesId = fc.constantFrom(1, 2, 3);
const hugeOrOdd = fc.constantFrom(1e6, 1e9, 2 ** 31, 2 ** 53, -1, 2.5, 0);
const count = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 8 }) }, { weight: 1, arbitrary: hugeOrOdd });
const frameNo = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 8 }) }, { weight: 1, arbitrary: hugeOrOdd });
/** `[y, x]` of a frame: mostly the scan's 2 x 2, sometimes wrong, sometimes absurd. */
const frameShape: fc.Arbitrary<readonly [number, number]> = fc.oneof({ weight: 5, arbitrary: fc.constant([2, 2] as const) }, { weight: 1, arbitrary: fc.constantFrom([3, 3], [2, 3], [1e5, 1e5], [0, 2], [1, 1e9]) });
const blobKind = fc.oneof({ weight: 5, arbitrary: fc.constant('ok' as const) }, { weight: 1, arbitrary: fc.constantFrom('short', 'long', 'lz4', 'lz4-garbage') });

/** Pixel bytes for a frame of `pixels` u16 values: right-sized when plausible, a token otherwise. */
function blob(pixels: number, kind: 'ok' | 'short' | 'long' | 'lz4' | 'lz4-garbage', fill: number): Buffer {
  const size = pixels * 2;
  const ok = Number.isSafeInteger(size) && size >= 0 && size <= 1 << 16 ? Buffer.alloc(size, fill) : Buffer.alloc(16, fill);
  if (kind === 'short') return ok.subarray(0, Math.max(0, ok.length - 1));
  if (kind === 'long') return Buffer.concat([ok, Buffer.alloc(3)]);
  if (kind === 'lz4') return lz4EncodeBlock(ok);
  if (kind === 'lz4-garbage') return Buffer.from([0xf0, 0xff, 0xff, 0xff, 0x00, 1, 2]);
  return ok;
}

const garbage: fc.Arbitrary<Buffer[]> = fc.oneof(
  fc.array(fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)), { minLength: 0, maxLength: 5 }),
  fc.jsonValue().map((v) => [json(v)]),
  fc.constant<Buffer[]>([Buffer.from('{"htype": "dimage-1.0", "series": ')]),
);

const simplonMsg: fc.Arbitrary<Buffer[]> = fc.oneof(
  fc.record({ series: seriesId, detail: fc.constantFrom('none', 'basic'), nimages: fc.option(count), size: fc.option(frameShape) }).map(({ series, detail, nimages, size }) => {
    const parts = [json({ htype: 'dheader-1.0', series, header_detail: detail })];
    if (detail === 'basic') parts.push(json({ ...(nimages === null ? {} : { nimages }), ...(size === null ? {} : { x_pixels_in_detector: size[1], y_pixels_in_detector: size[0] }) }));
    return parts;
  }),
  fc.record({ series: seriesId, frame: frameNo, shape: frameShape, kind: blobKind, parts: fc.constantFrom(4, 4, 4, 5, 3, 6) }).map(({ series, frame, shape, kind, parts: n }) => {
    const lz4 = kind === 'lz4' || kind === 'lz4-garbage';
    const data = blob(shape[0] * shape[1], kind, typeof frame === 'number' && frame >= 0 ? (frame % 250) + 1 : 7);
    const parts = [
      json({ htype: 'dimage-1.0', series, frame, hash: '' }),
      json({ htype: 'dimage_d-1.0', shape: [shape[1], shape[0]], type: 'uint16', encoding: lz4 ? 'lz4<' : '<', size: data.length }),
      data,
      json({ htype: 'dconfig-1.0', start_time: 0, stop_time: 1, real_time: 1 }),
      json({ frameType: 'projection', angle: 1 }),
      json({}),
    ];
    return parts.slice(0, n);
  }),
  seriesId.map((series) => [json({ htype: 'dseries_end-1.0', series })]),
  garbage,
);

const array1Msg: fc.Arbitrary<Buffer[]> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ frame: frameNo, shape: frameShape, depth: fc.constantFrom(0, 0, 0, 2), kind: fc.constantFrom('ok', 'ok', 'ok', 'short', 'long'), nProjections: fc.option(count) }).map(({ frame, shape, depth, kind, nProjections }) => {
    const dims = depth === 0 ? [...shape] : [depth, ...shape];
    const header = { htype: 'array-1.0', type: 'uint16', shape: dims, frame, ...(nProjections === null ? {} : { scan: { nProjections } }) };
    return [json(header), blob(dims.reduce((a, b) => a * b, 1), kind as 'ok' | 'short' | 'long', typeof frame === 'number' && frame >= 0 ? (frame % 250) + 1 : 7)];
  }) },
  { weight: 1, arbitrary: garbage },
);

/** Random messages, or one series whose frames come reordered, duplicated, with a wrong first frame
 * and maybe no end. */
function sequences(protocol: 'simplon-v1' | 'array-1.0'): fc.Arbitrary<Msg[]> {
  const random = fc.array(protocol === 'simplon-v1' ? simplonMsg : array1Msg, { maxLength: 60 });
  const mangled = fc.record({ n: fc.integer({ min: 1, max: 8 }), order: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 24 }), wrongFirst: fc.boolean(), end: fc.boolean() }).map(({ n, order, wrongFirst, end }) => {
    const frame = (f: number, shape: readonly [number, number] = [2, 2]): Buffer[] =>
      protocol === 'simplon-v1'
        ? [json({ htype: 'dimage-1.0', series: 1, frame: f, hash: '' }), json({ htype: 'dimage_d-1.0', shape: [shape[1], shape[0]], type: 'uint16', encoding: '<' }), blob(shape[0] * shape[1], 'ok', f + 1), json({ htype: 'dconfig-1.0' })]
        : [json({ htype: 'array-1.0', type: 'uint16', shape, frame: f }), blob(shape[0] * shape[1], 'ok', f + 1)];
    const msgs = protocol === 'simplon-v1' ? [[json({ htype: 'dheader-1.0', series: 1, header_detail: 'basic' }), json({ nimages: n })]] : [];
    if (wrongFirst) msgs.push(frame(0, [3, 3]));
    for (const f of order) msgs.push(frame(f));
    if (end && protocol === 'simplon-v1') msgs.push([json({ htype: 'dseries_end-1.0', series: 1 })]);
    return msgs;
  });
  return fc.tuple(fc.oneof(random, mangled), fc.array(fc.integer({ min: 0, max: 19 }), { maxLength: 60 })).map(([parts, drops]) => parts.map((p, i) => ({ parts: p, dropped: drops[i] === 0 })));
}

/** A clean series of 3 frames of 2 x 2 (series 99 for SIMPLON). */
function cleanSeries(protocol: 'simplon-v1' | 'array-1.0'): Buffer[][] {
  const px = (f: number): Buffer => blob(4, 'ok', 100 + f);
  if (protocol === 'array-1.0') return [0, 1, 2].map((f) => [json({ htype: 'array-1.0', type: 'uint16', shape: [2, 2], frame: f }), px(f)]);
  return [
    [json({ htype: 'dheader-1.0', series: 99, header_detail: 'basic' }), json({ nimages: 3, x_pixels_in_detector: 2, y_pixels_in_detector: 2 })],
    ...[0, 1, 2].map((f) => [json({ htype: 'dimage-1.0', series: 99, frame: f }), json({ htype: 'dimage_d-1.0', shape: [2, 2], type: 'uint16', encoding: '<' }), px(f), json({ htype: 'dconfig-1.0' })]),
    [json({ htype: 'dseries_end-1.0', series: 99 })],
  ];
}

/** Feeds messages as BeamlineStream does and checks the invariants after every one. */
function run(protocol: 'simplon-v1' | 'array-1.0', msgs: readonly Msg[]): void {
  const decoder: ProtocolDecoder = protocol === 'simplon-v1' ? new SimplonDecoder() : new Array1Decoder();
  const scans: AssembledScan[] = [];
  let kept = 0;
  const a = new ScanAssembler({ onScan: (s) => scans.push(s), onFrame: () => kept++, maxScanBytes: MAX_SCAN_BYTES });
  const feed = (m: Msg): void => {
    const events = m.dropped ? decoder.dropped(decoder.peek(m.parts)) : decoder.decode(m.parts);
    const wire = m.parts.reduce((n, p) => n + p.length, 0);
    for (const e of events) if (e.kind === 'frame') expect((e as FrameEvent).bytes.byteLength).toBeLessThanOrEqual(wire * 255 + 64); // nothing decoded beyond what the message can hold
    a.handle(events);
    const held = a.openCounters?.counters['heldBytes'] ?? 0;
    expect(held).toBeLessThanOrEqual(MAX_SCAN_BYTES);
  };
  for (const m of msgs) feed(m);
  // Then a valid series (after a pause, which is what ends an array-1.0 scan) must come out exact.
  a.handle(decoder.idle(), performance.now(), false);
  for (const parts of cleanSeries(protocol)) feed({ parts, dropped: false });
  a.handle(decoder.idle(), performance.now(), false);
  a.abortOpen();
  const clean = scans[scans.length - 1] as AssembledScan;
  if (protocol === 'simplon-v1') expect(clean.report.series).toBe('99');
  expect(clean.report).toMatchObject({ status: 'complete', processed: 3, malformed: 0, missingCount: 0, shape: [3, 2, 2] });
  expect([...(clean.volume?.data ?? [])]).toEqual([0, 1, 2].flatMap((f) => Array<number>(4).fill(((100 + f) << 8) | (100 + f))));

  const t = a.totals;
  expect(t.messages).toBe(msgs.length + cleanSeries(protocol).length);
  expect(t.control + t.processed + t.duplicates + t.malformed + t.dropped + t.discarded).toBe(t.messages);
  expect(Object.values(t.malformedReasons).reduce((n, v) => n + v, 0)).toBe(t.malformed);
  expect(Object.values(t.droppedReasons).reduce((n, v) => n + v, 0)).toBe(t.dropped);
  expect(kept).toBe(t.processed);
  expect(scans.reduce((n, s) => n + s.report.processed, 0)).toBe(t.processed);
  for (const s of scans) {
    const r = s.report;
    expect(r.received).toBe(r.processed + r.duplicates + r.malformed + r.dropped);
    expect(r.missing.length).toBeLessThanOrEqual(Math.min(1000, r.missingCount));
    if (r.expected !== null) expect(r.processed + r.missingCount).toBeLessThanOrEqual(r.expected);
    if (r.status === 'complete') expect(r.missingCount).toBe(0);
    expect(r.status === 'aborted').toBe(r.abort !== null);
    const bytes = [s.volume, s.darks, s.flats].reduce((n, v) => n + (v?.data.byteLength ?? 0), 0);
    expect(bytes).toBeLessThanOrEqual(MAX_SCAN_BYTES);
  }
}

describe('streaming fuzz: decoders and the scan assembler survive any message sequence', () => {
  it('SIMPLON v1: every message accounted, memory within the scan bound, the next valid series exact', () => {
    fc.assert(fc.property(sequences('simplon-v1'), (msgs) => run('simplon-v1', msgs)), { numRuns: 300 });
  });

  it('array-1.0: every message accounted, memory within the scan bound, the next valid series exact', () => {
    fc.assert(fc.property(sequences('array-1.0'), (msgs) => run('array-1.0', msgs)), { numRuns: 300 });
  });
});
