import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScanAssembler, type AssembledScan, type FrameEvent, type FrameType, type StreamEvent } from '../../streaming/index.js';

const start = (series: string, expected: number | null = null, frameShape: [number, number] | null = null): StreamEvent => ({ kind: 'series-start', series, expected, scan: null, frameShape });
const end = (series: string): StreamEvent => ({ kind: 'series-end', series });
const frame = (series: string, n: number, frameType: FrameType | null = null, shape: [number, number] = [2, 2]): FrameEvent => ({
  kind: 'frame',
  series,
  frame: n,
  shape,
  depth: 1,
  dtype: 'u8',
  bytes: new Uint8Array(shape[0] * shape[1]).fill(n + 1),
  frameType,
  angle: n * 10,
});

function assembler(maxScanBytes = 1 << 20): { a: ScanAssembler; scans: AssembledScan[]; logs: string[]; kept: FrameEvent[] } {
  const scans: AssembledScan[] = [];
  const logs: string[] = [];
  const kept: FrameEvent[] = [];
  return { a: new ScanAssembler({ onScan: (s) => scans.push(s), onFrame: (f) => kept.push(f), log: (l) => logs.push(l), maxScanBytes }), scans, logs, kept };
}

/** Sends a clean scan of `n` 2 x 2 frames and expects it complete and exact. */
function expectCleanScan(a: ScanAssembler, scans: AssembledScan[], series: string, n = 4): void {
  a.handle([start(series, n, [2, 2])]);
  for (let f = 0; f < n; f++) a.handle([frame(series, f)]);
  a.handle([end(series)]);
  const s = scans[scans.length - 1] as AssembledScan;
  expect(s.report).toMatchObject({ series, status: 'complete', abort: null, processed: n, missing: [], missingCount: 0, shape: [n, 2, 2] });
  expect([...(s.volume?.data ?? [])].filter((_, i) => i % 4 === 0)).toEqual([...Array(n).keys()].map((f) => f + 1));
}

describe('ScanAssembler', () => {
  it('stacks frames in frame order into a [z, y, x] volume, whatever order they arrive in', () => {
    const { a, scans } = assembler();
    for (const e of [start('1', 3), frame('1', 2), frame('1', 0), frame('1', 1), end('1')]) a.handle([e]);
    const s = scans[0] as AssembledScan;
    expect(s.report).toMatchObject({ status: 'complete', processed: 3, received: 3, missing: [], outOfOrder: 2, shape: [3, 2, 2] });
    expect([...(s.volume?.data ?? [])]).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(s.angles).toEqual([0, 10, 20]);
  });

  it('sets dark and flat frames aside from the volume', () => {
    const { a, scans } = assembler();
    for (const e of [start('1', 4), frame('1', 0, 'dark'), frame('1', 1, 'flat'), frame('1', 2, 'projection'), frame('1', 3, 'projection'), end('1')]) a.handle([e]);
    const s = scans[0] as AssembledScan;
    expect(s.volume?.shape).toEqual([2, 2, 2]);
    expect(s.darks?.shape).toEqual([1, 2, 2]);
    expect(s.flats?.shape).toEqual([1, 2, 2]);
  });

  it('counts duplicates, missing, malformed and out-of-range frames of a scan, and zero-fills holes', () => {
    const { a, scans } = assembler();
    a.handle([start('1', 6)]);
    a.handle([frame('1', 0)]);
    a.handle([frame('1', 0)]);
    a.handle([frame('1', 2)]);
    a.handle([{ kind: 'malformed', reason: 'bad-blob-size', detail: 'x', series: '1', frame: 3 }]);
    a.handle([frame('1', 4, null, [3, 3])]);
    a.handle([frame('1', 9)]);
    a.handle([end('1')]);
    const r = (scans[0] as AssembledScan).report;
    expect(r).toMatchObject({ status: 'incomplete', received: 6, processed: 2, duplicates: 1, malformed: 3, missing: [1, 5], malformedReasons: { 'bad-blob-size': 1, 'shape-mismatch': 1, 'frame-out-of-range': 1 } });
    expect(r.received).toBe(r.processed + r.duplicates + r.malformed + r.dropped);
    expect([...((scans[0] as AssembledScan).volume?.data ?? [])].filter((_, i) => i % 4 === 0)).toEqual([1, 0, 3, 0, 0, 0]);
  });

  it('aborts the open scan when a new header arrives, and the next scan is unaffected', () => {
    const { a, scans } = assembler();
    for (const e of [start('1', 4), frame('1', 0), frame('1', 1), start('2', 2), frame('2', 0), frame('2', 1), end('2')]) a.handle([e]);
    expect(scans.map((s) => [s.report.series, s.report.status, s.report.processed])).toEqual([['1', 'aborted', 2], ['2', 'complete', 2]]);
    expect(a.totals.scans).toEqual({ complete: 1, incomplete: 0, aborted: 1 });
  });

  it('counts frames and ends of unknown series as malformed and logs each reason once', () => {
    const { a, logs } = assembler();
    a.handle([frame('7', 0)]);
    a.handle([start('1', 1)]);
    a.handle([frame('2', 0)]);
    a.handle([end('3')]);
    expect(a.totals).toMatchObject({ messages: 4, malformed: 3, control: 1, malformedReasons: { 'unknown-series': 3 } });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/unknown-series/);
  });

  it('attributes live-mode drops to their scan', () => {
    const { a, scans } = assembler();
    for (const e of [start('1', 3), frame('1', 0), { kind: 'dropped', series: '1', frame: 1 } as StreamEvent, frame('1', 2), end('1')]) a.handle([e]);
    expect((scans[0] as AssembledScan).report).toMatchObject({ status: 'incomplete', dropped: 1, missing: [], processed: 2 });
  });

  it('a header claiming 10^9 frames: the scan is aborted as too large, nothing is allocated from the claim, and the next scan is exact', () => {
    const { a, scans } = assembler();
    a.handle([start('1', 1e9, [2, 2])]);
    for (let f = 0; f < 16; f++) a.handle([frame('1', f)]);
    a.handle([end('1')]);
    const r = (scans[0] as AssembledScan).report;
    expect(r).toMatchObject({ status: 'aborted', abort: { reason: 'scan-too-large' }, processed: 16, missingCount: 1e9 - 16, shape: null });
    expect(r.missing).toHaveLength(1000);
    expect(r.missing.slice(0, 3)).toEqual([16, 17, 18]);
    expect((scans[0] as AssembledScan).volume).toBeNull();
    expectCleanScan(a, scans, '2');
  });

  it('a frame numbered 10^9 in a series without a count: aborted as too large, the next scan is exact', () => {
    const { a, scans } = assembler();
    a.handle([start('1', null, [2, 2])]);
    a.handle([frame('1', 1e9)]);
    for (let f = 0; f < 4; f++) a.handle([frame('1', f)]);
    a.handle([end('1')]);
    expect((scans[0] as AssembledScan).report).toMatchObject({ status: 'aborted', abort: { reason: 'scan-too-large' }, processed: 5, missingCount: 1e9 + 1 - 5 });
    expectCleanScan(a, scans, '2');
  });

  it('a header claiming 10^6 frames of 512 x 512 with one frame sent: aborted as too large, the next scan is exact', () => {
    const { a, scans } = assembler(64 << 20);
    a.handle([start('1', 1e6, [512, 512])]);
    a.handle([frame('1', 0, null, [512, 512])]);
    a.handle([end('1')]);
    expect((scans[0] as AssembledScan).report).toMatchObject({ status: 'aborted', abort: { reason: 'scan-too-large' }, processed: 1, missingCount: 1e6 - 1 });
    expect((scans[0] as AssembledScan).report.abort?.detail).toMatch(/volume of 1000000 frames of 512 x 512 u8 would take 250\d+\.\d MiB, over the bound of 64\.0 MiB/);
    expectCleanScan(a, scans, '2');
  });

  it('a scan whose frames pass the bound is aborted at once; the rest of its series is dropped, counted; the next scan is exact', () => {
    // 1 KiB frames, a 16 KiB bound: the 14th frame would pass it (each frame costs its pixels plus bookkeeping).
    const { a, scans } = assembler(16 << 10);
    a.handle([start('1', null, [32, 32])]);
    for (let f = 0; f < 40; f++) a.handle([frame('1', f, null, [32, 32])]);
    expect(scans).toHaveLength(1);
    const r = (scans[0] as AssembledScan).report;
    expect(r).toMatchObject({ status: 'aborted', abort: { reason: 'scan-too-large' }, processed: 12, dropped: 1, received: 13 });
    expect(r.abort?.detail).toBe('after 13 frames it holds 17.1 KiB, over the bound of 16.0 KiB');
    a.handle([end('1')]);
    expect(a.totals).toMatchObject({ processed: 12, dropped: 28, droppedReasons: { 'scan-too-large': 28 }, malformed: 0, control: 2 });
    expectCleanScan(a, scans, '2');
    const t = a.totals;
    expect(t.messages).toBe(t.control + t.processed + t.duplicates + t.malformed + t.dropped + t.discarded);
  });

  it("the header's detector size decides the layout: a wrong first frame costs one frame, counted as malformed", () => {
    const { a, scans, kept } = assembler();
    a.handle([start('1', 16, [32, 32])]);
    a.handle([frame('1', 0, null, [40, 40])]);
    for (let f = 1; f < 16; f++) a.handle([frame('1', f, null, [32, 32])]);
    a.handle([end('1')]);
    expect((scans[0] as AssembledScan).report).toMatchObject({ status: 'incomplete', processed: 15, malformed: 1, malformedReasons: { 'shape-mismatch': 1 }, missing: [], shape: [16, 32, 32] });
    expect(kept).toHaveLength(15);
  });

  it('without a size in the header, the majority of the first frames decides the layout', () => {
    const { a, scans, kept } = assembler();
    a.handle([start('1', 6)]);
    expect(a.handle([frame('1', 0, null, [3, 3])])).toBe('pending');
    expect(a.handle([frame('1', 1)])).toBe('pending');
    expect(a.handle([frame('1', 2)])).toBe('pending');
    expect(a.handle([frame('1', 3)])).toBe('processed'); // the third 2 x 2 frame decides
    expect(a.totals).toMatchObject({ messages: 5, processed: 3, malformed: 1, malformedReasons: { 'shape-mismatch': 1 } });
    for (const e of [frame('1', 4), frame('1', 5), end('1')]) a.handle([e]);
    expect((scans[0] as AssembledScan).report).toMatchObject({ status: 'incomplete', processed: 5, malformed: 1, shape: [6, 2, 2] });
    expect(kept.map((f) => f.frame)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a scan that ends while its layout vote runs takes the layout with the most frames', () => {
    const { a, scans } = assembler();
    for (const e of [start('1'), frame('1', 0, null, [3, 3]), frame('1', 1), frame('1', 2), end('1')]) a.handle([e]);
    expect((scans[0] as AssembledScan).report).toMatchObject({ processed: 2, malformed: 1, shape: [3, 2, 2] });
    expect(a.totals).toMatchObject({ messages: 5, processed: 2, malformed: 1, control: 2 });
  });

  it('puts every message in exactly one counter (property)', () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('start'), s: fc.integer({ min: 1, max: 3 }), n: fc.option(fc.integer({ min: 0, max: 6 })) }),
      fc.record({ kind: fc.constant('end'), s: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('frame'), s: fc.integer({ min: 1, max: 3 }), f: fc.integer({ min: 0, max: 8 }), big: fc.boolean() }),
      fc.record({ kind: fc.constant('bad'), s: fc.option(fc.integer({ min: 1, max: 3 })), f: fc.option(fc.integer({ min: 0, max: 8 })) }),
      fc.record({ kind: fc.constant('drop'), s: fc.integer({ min: 1, max: 3 }), f: fc.integer({ min: 0, max: 8 }) }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (evs) => {
        const { a, scans } = assembler();
        for (const e of evs) {
          if (e.kind === 'start') a.handle([start(String(e.s), e.n)]);
          else if (e.kind === 'end') a.handle([end(String(e.s))]);
          else if (e.kind === 'frame') a.handle([frame(String(e.s), e.f, null, e.big ? [3, 2] : [2, 2])]);
          else if (e.kind === 'bad') a.handle([{ kind: 'malformed', reason: 'bad-json', detail: '', series: e.s === null ? null : String(e.s), frame: e.f }]);
          else a.handle([{ kind: 'dropped', series: String(e.s), frame: e.f }]);
        }
        a.abortOpen();
        const t = a.totals;
        expect(t.messages).toBe(evs.length);
        expect(t.control + t.processed + t.duplicates + t.malformed + t.dropped).toBe(t.messages);
        for (const s of scans) {
          const r = s.report;
          expect(r.received).toBe(r.processed + r.duplicates + r.malformed + r.dropped);
          if (r.status === 'complete') expect(r.missing).toEqual([]);
          if (r.expected !== null) expect(r.processed + r.missing.length).toBeLessThanOrEqual(r.expected);
        }
        expect(scans.reduce((n, s) => n + s.report.processed, 0)).toBe(t.processed);
        expect(scans.reduce((n, s) => n + s.report.duplicates, 0)).toBe(t.duplicates);
      }),
    );
  });
});
