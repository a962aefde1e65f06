/**
 * The public event bus. Scheduler, block manager and executors post events; progress bars, the
 * dashboard and tests subscribe with `ctx.on(type, handler)`.
 */

export type VoxelflowEvent =
  | { readonly type: 'jobStart'; readonly jobId: number; readonly rddId: number; readonly partitions: number; /** The action: 'count', 'collect', ... */ readonly action?: string; readonly time: number }
  | { readonly type: 'jobEnd'; readonly jobId: number; readonly result: 'succeeded' | 'failed'; readonly error?: string; readonly time: number }
  | { readonly type: 'stageSubmitted'; readonly jobId: number; readonly stageId: number; readonly attempt: number; readonly kind: 'shuffleMap' | 'result'; readonly rddId: number; readonly numTasks: number; readonly name: string; readonly time: number }
  | { readonly type: 'stageCompleted'; readonly jobId: number; readonly stageId: number; readonly attempt: number; readonly result: 'succeeded' | 'failed' | 'resubmitted'; readonly time: number }
  | { readonly type: 'taskStart'; readonly stageId: number; readonly partition: number; readonly attempt: number; readonly taskId: number; readonly executorId: string; readonly speculative: boolean; readonly time: number }
  | {
      readonly type: 'taskEnd';
      readonly stageId: number;
      readonly partition: number;
      readonly attempt: number;
      readonly taskId: number;
      readonly executorId: string;
      readonly speculative: boolean;
      readonly status: 'success' | 'failed' | 'killed' | 'fetchFailed';
      readonly durationMs: number;
      readonly error?: string;
      readonly records?: number;
      readonly shuffleBytesWritten?: number;
      /** Counters the task's kernels reported (voxelsComputed, shuffleRecordsRead, ...). */
      readonly metrics?: Readonly<Record<string, number>>;
      readonly time: number;
    }
  | { readonly type: 'speculativeTask'; readonly stageId: number; readonly partition: number; readonly time: number }
  | { readonly type: 'blockSpilled'; readonly block: string; readonly bytes: number; readonly time: number }
  | { readonly type: 'blockDropped'; readonly block: string; readonly bytes: number; readonly time: number }
  | { readonly type: 'executorAdded'; readonly executorId: string; readonly cores: number; readonly host?: string; readonly memoryBytes?: number; readonly time: number }
  | { readonly type: 'executorRemoved'; readonly executorId: string; readonly reason: string; readonly time: number }
  | {
      /** Tasks wait and no executor is registered (`registered` 0, since `since`), or executors are back (`registered` > 0). */
      readonly type: 'executorsWaiting';
      readonly since: number;
      readonly registered: number;
      readonly time: number;
    }
  | {
      /** A streaming scan's accounting, posted by the stream while it receives and once it is sealed. */
      readonly type: 'scanUpdated';
      readonly scanId: string;
      readonly status: 'receiving' | 'complete' | 'incomplete' | 'aborted';
      /** Frames the series header announced, or null when it did not say. */
      readonly expected: number | null;
      /** Frame counters (received, processed, duplicates, malformed, dropped, missing, ...). */
      readonly counters: Readonly<Record<string, number>>;
      readonly time: number;
    }
  | {
      /** Worker jobs of a batch launcher (`master: 'sge'`): requested so far, and how many are in each state now. */
      readonly type: 'batchJobs';
      readonly launcher: string;
      readonly requested: number;
      readonly pending: number;
      readonly running: number;
      readonly draining: number;
      readonly finished: number;
      readonly time: number;
    };

export type EventType = VoxelflowEvent['type'];
export type EventOf<K extends EventType> = Extract<VoxelflowEvent, { type: K }>;
/** Events as posted, before the bus stamps the time. */
export type EventInput = VoxelflowEvent extends infer E ? (E extends { time: number } ? Omit<E, 'time'> : never) : never;

type Handler = (event: VoxelflowEvent) => void;

/** Synchronous fan-out; a throwing listener is reported once and never breaks the scheduler. */
export class EventBus {
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Listeners whose throw was already reported: a listener that throws on every event warns once. */
  private readonly reported = new WeakSet<Handler>();

  on<K extends EventType | '*'>(type: K, handler: (event: K extends EventType ? EventOf<K> : VoxelflowEvent) => void): () => void {
    let set = this.handlers.get(type);
    if (set === undefined) this.handlers.set(type, (set = new Set()));
    set.add(handler as Handler);
    return () => this.off(type, handler);
  }

  off<K extends EventType | '*'>(type: K, handler: (event: K extends EventType ? EventOf<K> : VoxelflowEvent) => void): void {
    this.handlers.get(type)?.delete(handler as Handler);
  }

  post(input: EventInput): void {
    const event = { ...input, time: Date.now() } as VoxelflowEvent;
    for (const key of [event.type, '*']) {
      const set = this.handlers.get(key);
      if (set === undefined) continue;
      for (const h of set) {
        try {
          h(event);
        } catch (err) {
          if (this.reported.has(h)) continue;
          this.reported.add(h);
          process.emitWarning(`voxelflow event listener for '${event.type}' threw (reported once per listener): ${(err as Error).message}`);
        }
      }
    }
  }
}
