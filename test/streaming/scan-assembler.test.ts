import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScanAssembler, type AssembledScan, type FrameEvent, type FrameType, type StreamEvent } from '../../streaming/index.js';

const start = (series: string, expected: number | null = null): StreamEvent => ({ kind: 'series-start', series, expected, scan: null });
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

function assembler(): { a: ScanAssembler; scans: AssembledScan[]; logs: string[] } {
  const scans: AssembledScan[] = [];
  const logs: string[] = [];
  return { a: new ScanAssembler({ onScan: (s) => scans.push(s), log: (l) => logs.push(l) }), scans, logs };
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
