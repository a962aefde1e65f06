/**
 * Entry of a worker thread (piscina). Rebuilds each stage's RDDs from its plan once, then runs the
 * stage's tasks. Results and blocks go back in SharedArrayBuffers, so nothing is copied twice.
 */
import { setBroadcastResolver } from '../broadcast.js';
import { decode, encodeShared } from '../codec.js';
import { errorToData } from '../error-data.js';
import { partitionerFromSpec, type PartitionerSpec } from '../partitioner.js';
import { revivePlan, workerRddContext, type Plan } from '../plan.js';
import type { ResultOp } from '../actions/index.js';
import type { Aggregator } from '../dependency.js';
import type { StageWork } from './executor.js';
import { executeTask } from './run-task.js';
import { workerData } from 'node:worker_threads';
import { loadModules } from '../registry.js';
import type { WorkerTaskMessage, WorkerTaskReply } from './thread-executor.js';

/** A stage's work as encoded by the driver. */
export interface EncodedStageWork {
  readonly plan: Plan;
  readonly shuffle: {
    readonly shuffleId: number;
    readonly partitioner: PartitionerSpec;
    readonly aggregator: Aggregator | null;
    readonly mapSideCombine: boolean;
  } | null;
  readonly resultOp: ResultOp | null;
}

// piscina loads its filename with require() first. Under a TypeScript loader such as tsx, require()
// compiles this ESM file into a CommonJS copy with its own registry, codec and RDD classes, while the
// modules a plan names are loaded with import(): two module graphs, and the operators registered in one
// are unknown to the other ("plan names unknown operator 'image.synthetic'"). A module with a top-level
// await cannot be required (Node and tsx both refuse), so piscina falls back to import() and the thread
// has one module graph, whatever loader the driver runs under.
await Promise.resolve();

// The modules the driver had registered when it started this pool (imaging, tables...) start loading
// now, while the driver is still reading headers and planning, instead of when the first task names
// them: a small job's first task no longer waits for them. Errors surface when a task needs the module.
const preload = (workerData as { preload?: readonly string[] } | null)?.preload;
if (preload !== undefined) loadModules(preload).catch(() => {});

const works = new Map<string, StageWork>();
const broadcastValues = new Map<number, unknown>();
let broadcastBytes = new Map<number, Uint8Array>();

setBroadcastResolver((id) => {
  if (broadcastValues.has(id)) return broadcastValues.get(id);
  const bytes = broadcastBytes.get(id);
  if (bytes === undefined) throw new Error(`broadcast ${id} is not available to this task (was it destroyed?)`);
  const value = decode(bytes);
  broadcastValues.set(id, value);
  return value;
});

function stageWork(msg: WorkerTaskMessage): StageWork {
  let work = works.get(msg.workId);
  if (work === undefined) {
    const data = decode<EncodedStageWork>(msg.work);
    work = {
      rdd: revivePlan(data.plan, workerRddContext),
      shuffle: data.shuffle === null ? null : { ...data.shuffle, partitioner: partitionerFromSpec(data.shuffle.partitioner) },
      resultOp: data.resultOp,
    };
    if (works.size >= 32) works.delete(works.keys().next().value as string);
    works.set(msg.workId, work);
  }
  return work;
}

export default async function runTask(msg: WorkerTaskMessage): Promise<WorkerTaskReply> {
  try {
    if (msg.modules.length > 0) await loadModules(msg.modules);
    broadcastBytes = new Map(msg.inputs.broadcasts);
    // The driver sends every live broadcast: a value it no longer sends was destroyed, so free it here too.
    for (const id of broadcastValues.keys()) if (!broadcastBytes.has(id)) broadcastValues.delete(id);
    const out = executeTask(stageWork(msg), msg, msg.inputs);
    return {
      status: 'success',
      payload: encodeShared({ result: out.result, accumulators: out.accumulators, metrics: out.metrics }),
      shuffleOutput: out.shuffleOutput === null ? null : { bytes: out.shuffleOutput.bytes, offsets: out.shuffleOutput.offsets },
      cachePuts: out.cachePuts,
      records: out.records,
    };
  } catch (err) {
    return { status: 'failed', error: errorToData(err) };
  }
}
