import { describe, expect, it } from 'vitest';
import { DashboardState, type EventInput, type Topic, type VoxelflowEvent } from '../../index.js';

const at = (e: EventInput, time = 1000): VoxelflowEvent => ({ ...e, time }) as VoxelflowEvent;

describe('DashboardState', () => {
  it('keeps only the newest jobs, stages and tasks within its retention', () => {
    const s = new DashboardState(() => {}, { jobs: 3, stages: 4, tasks: 5, scans: 2, removedExecutors: 1 });
    for (let j = 0; j < 10; j++) {
      s.apply(at({ type: 'jobStart', jobId: j, rddId: j, partitions: 1 }));
      s.apply(at({ type: 'stageSubmitted', jobId: j, stageId: j, attempt: 0, kind: 'result', rddId: j, numTasks: 1, name: `count[${j}]` }));
      s.apply(at({ type: 'taskStart', stageId: j, partition: 0, attempt: 0, taskId: j, executorId: 'e', speculative: false }));
    }
    expect(s.jobList().map((j) => j.jobId)).toEqual([9, 8, 7]);
    expect(s.stageList().map((st) => st.stageId)).toEqual([9, 8, 7, 6]);
    expect(s.taskList().map((t) => t.taskId)).toEqual([9, 8, 7, 6, 5]);
    expect(s.jobList()[0]?.name).toBe('count[9]');
  });

  it('counts task outcomes per stage, job and executor, and sends a failed retry to the stage attempt', () => {
    const topics: Topic[] = [];
    const s = new DashboardState((t) => topics.push(t));
    s.apply(at({ type: 'executorAdded', executorId: 'e', cores: 2 }));
    s.apply(at({ type: 'jobStart', jobId: 0, rddId: 1, partitions: 2, action: 'count' }, 1000));
    s.apply(at({ type: 'stageSubmitted', jobId: 0, stageId: 0, attempt: 0, kind: 'shuffleMap', rddId: 0, numTasks: 2, name: 'map' }));
    s.apply(at({ type: 'stageCompleted', jobId: 0, stageId: 0, attempt: 0, result: 'resubmitted' }));
    s.apply(at({ type: 'stageSubmitted', jobId: 0, stageId: 0, attempt: 1, kind: 'shuffleMap', rddId: 0, numTasks: 2, name: 'map' }));
    s.apply(at({ type: 'taskStart', stageId: 0, partition: 0, attempt: 0, taskId: 7, executorId: 'e', speculative: false }));
    s.apply(at({ type: 'taskEnd', stageId: 0, partition: 0, attempt: 0, taskId: 7, executorId: 'e', speculative: false, status: 'failed', durationMs: 5, error: 'boom' }));
    s.apply(at({ type: 'taskStart', stageId: 0, partition: 0, attempt: 1, taskId: 8, executorId: 'e', speculative: false }));
    s.apply(at({ type: 'taskEnd', stageId: 0, partition: 0, attempt: 1, taskId: 8, executorId: 'e', speculative: false, status: 'success', durationMs: 7, records: 3, metrics: { voxels: 10 } }));
    s.apply(at({ type: 'jobEnd', jobId: 0, result: 'succeeded' }, 1250));
    const [retry, first] = s.stageList();
    expect(first).toMatchObject({ attempt: 0, status: 'resubmitted', tasks: { active: 0, succeeded: 0, failed: 0, killed: 0 } });
    expect(retry).toMatchObject({ attempt: 1, tasks: { active: 0, succeeded: 1, failed: 1, killed: 0 }, taskTimeMs: 12, records: 3, metrics: { voxels: 10 } });
    expect(s.jobList()[0]).toMatchObject({ action: 'count', name: 'map', status: 'succeeded', durationMs: 250, numTasks: 4, tasks: { succeeded: 1, failed: 1 } });
    expect(s.executorList()[0]).toMatchObject({ cores: 2, memoryBytes: null, tasks: { succeeded: 1, failed: 1 }, taskTimeMs: 12 });
    expect(s.taskList(0).map((t) => [t.taskId, t.status, t.error])).toEqual([[8, 'success', null], [7, 'failed', 'boom']]);
    expect(new Set(topics)).toEqual(new Set(['executors', 'jobs', 'stages', 'tasks']));
  });

  it('keeps removed executors, up to the bound, with their reason', () => {
    const s = new DashboardState(() => {}, { jobs: 1, stages: 1, tasks: 1, scans: 1, removedExecutors: 1 });
    for (const id of ['a', 'b', 'c']) s.apply(at({ type: 'executorAdded', executorId: id, cores: 1 }));
    s.apply(at({ type: 'executorRemoved', executorId: 'a', reason: 'lost' }));
    s.apply(at({ type: 'executorRemoved', executorId: 'b', reason: 'drained' }));
    expect(s.executorList().map((x) => [x.executorId, x.status, x.removedReason])).toEqual([['b', 'removed', 'drained'], ['c', 'active', null]]);
  });
});
