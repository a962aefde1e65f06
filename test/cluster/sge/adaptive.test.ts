import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scale, type ScaleInput } from '../../../cluster/sge/adaptive.js';

const base: ScaleInput = { minWorkers: 0, maxWorkers: 8, coresPerWorker: 2, waitingTasks: 0, runningTasks: 0, queued: [], workers: [], idleChecks: 3 };

describe('adaptive scaling', () => {
  it('submits for waiting tasks, by cores per worker, up to the maximum', () => {
    expect(scale({ ...base, waitingTasks: 5 })).toEqual({ submit: 3, cancel: [], retire: [] });
    expect(scale({ ...base, waitingTasks: 100 })).toEqual({ submit: 8, cancel: [], retire: [] });
  });

  it('counts queued jobs as requested workers', () => {
    expect(scale({ ...base, waitingTasks: 8, queued: [{ ref: '5.1-4', workers: 4 }] })).toEqual({ submit: 0, cancel: [], retire: [] });
    expect(scale({ ...base, waitingTasks: 10, queued: [{ ref: '5.1-4', workers: 4 }] })).toEqual({ submit: 1, cancel: [], retire: [] });
  });

  it('keeps the minimum started even without work', () => {
    expect(scale({ ...base, minWorkers: 2 })).toEqual({ submit: 2, cancel: [], retire: [] });
    const idle = [{ id: '1.1', idleChecks: 9 }, { id: '1.2', idleChecks: 9 }];
    expect(scale({ ...base, minWorkers: 2, workers: idle })).toEqual({ submit: 0, cancel: [], retire: [] });
  });

  it('cancels queued jobs before retiring workers', () => {
    const d = scale({ ...base, workers: [{ id: '1.1', idleChecks: 5 }], queued: [{ ref: '2.1-2', workers: 2 }, { ref: '3', workers: 1 }], runningTasks: 2 });
    expect(d).toEqual({ submit: 0, cancel: ['3', '2.1-2'], retire: [] });
  });

  it('retires only workers idle for enough checks in a row, longest idle first', () => {
    const workers = [{ id: '1.1', idleChecks: 2 }, { id: '1.2', idleChecks: 4 }, { id: '1.3', idleChecks: 7 }];
    expect(scale({ ...base, workers })).toEqual({ submit: 0, cancel: [], retire: ['1.3', '1.2'] });
  });

  it('never submits and shrinks at once, stays within [min, max], never retires below min', () => {
    const input = fc.record({
      minWorkers: fc.integer({ min: 0, max: 4 }),
      extra: fc.integer({ min: 0, max: 8 }),
      coresPerWorker: fc.integer({ min: 1, max: 8 }),
      waitingTasks: fc.integer({ min: 0, max: 100 }),
      runningTasks: fc.integer({ min: 0, max: 50 }),
      queued: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 }),
      idle: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 12 }),
    });
    fc.assert(
      fc.property(input, (r) => {
        const s: ScaleInput = {
          minWorkers: r.minWorkers, maxWorkers: r.minWorkers + r.extra, coresPerWorker: r.coresPerWorker, waitingTasks: r.waitingTasks,
          runningTasks: r.runningTasks, queued: r.queued.map((workers, i) => ({ ref: `q${i}`, workers })),
          workers: r.idle.map((idleChecks, i) => ({ id: `w${i}`, idleChecks })), idleChecks: 3,
        };
        const d = scale(s);
        const requested = s.workers.length + r.queued.reduce((a, b) => a + b, 0);
        const cancelled = d.cancel.reduce((n, ref) => n + r.queued[Number(ref.slice(1))]!, 0);
        const after = requested + d.submit - cancelled - d.retire.length;
        expect(d.submit === 0 || (d.cancel.length === 0 && d.retire.length === 0)).toBe(true);
        expect(after).toBeLessThanOrEqual(Math.max(requested, s.maxWorkers));
        if (d.submit > 0) expect(after).toBeLessThanOrEqual(s.maxWorkers);
        if (d.retire.length > 0) expect(after).toBeGreaterThanOrEqual(s.minWorkers);
        for (const id of d.retire) expect(s.workers.find((w) => w.id === id)!.idleChecks).toBeGreaterThanOrEqual(3);
        // Shrinking never goes below what the work wants.
        const wanted = Math.min(s.maxWorkers, Math.max(s.minWorkers, Math.ceil((s.waitingTasks + s.runningTasks) / s.coresPerWorker)));
        if (d.submit === 0) expect(after).toBeGreaterThanOrEqual(Math.min(wanted, requested));
      }),
    );
  });
});
