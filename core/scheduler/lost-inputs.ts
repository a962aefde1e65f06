/**
 * What a running task's outcome is when an executor holding blocks it reads is lost (Spark's
 * fetch-failure path, taken at once instead of after a fetch deadline).
 */
import type { TaskInputs, TaskOutcome } from '../executor/executor.js';

/**
 * What a running task's outcome is when `executorId`, which holds blocks it reads, is lost: a fetch
 * failure for its first shuffle block there, an uncounted retry when it only reads cached partitions
 * there (the retry recomputes them), null when it reads nothing there.
 */
export function lostInputOutcome(inputs: TaskInputs, executorId: string): TaskOutcome | null {
  const message = `executor ${executorId}, which holds blocks this task reads, was lost`;
  for (const [shuffleId, , refs] of inputs.shuffle) {
    for (let mapIndex = 0; mapIndex < refs.length; mapIndex++) {
      const ref = refs[mapIndex];
      if (ref?.kind === 'remote' && ref.executorId === executorId) {
        return { status: 'failed', error: { name: 'FetchFailedError', message: `shuffle ${shuffleId}: output of map ${mapIndex}: ${message}`, fetchFailed: { shuffleId, mapIndex, executorId } } };
      }
    }
  }
  for (const [, , ref] of inputs.cached) {
    if (ref.kind === 'remote' && ref.executorId === executorId) {
      return { status: 'failed', error: { name: 'ExecutorLostError', message, executorLost: true } };
    }
  }
  return null;
}
