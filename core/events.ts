/**
 * The public event bus. Scheduler, block manager and executors post events; progress bars, the
 * dashboard and tests subscribe with `ctx.on(type, handler)`. The events are a map from type to fields
 * (VoxelflowEventMap) that other folders extend with their own events.
 */

/**
 * Every event the bus carries, by type: each entry is the event's own fields; listeners receive them
 * with `type` and `time` (when it was posted, ms since the epoch) added. Core declares its events here;
 * other folders add theirs by declaration merging, in the module that posts them, so core names none
 * of them; `post`, `on` and EventOf then know them like core's own.
 *
 * @example
 *   // a module in another folder
 *   declare module '../core/events.js' {
 *     interface VoxelflowEventMap {
 *       frameDecoded: { readonly frame: number };
 *     }
 *   }
 *   ctx.events.post({ type: 'frameDecoded', frame: 7 });
 */
export interface VoxelflowEventMap {
  jobStart: { readonly jobId: number; readonly rddId: number; readonly partitions: number; /** The action: 'count', 'collect', ... */ readonly action?: string };
  jobEnd: { readonly jobId: number; readonly result: 'succeeded' | 'failed'; readonly error?: string };
  stageSubmitted: { readonly jobId: number; readonly stageId: number; readonly attempt: number; readonly kind: 'shuffleMap' | 'result'; readonly rddId: number; readonly numTasks: number; readonly name: string };
  stageCompleted: { readonly jobId: number; readonly stageId: number; readonly attempt: number; readonly result: 'succeeded' | 'failed' | 'resubmitted' };
  taskStart: { readonly stageId: number; readonly partition: number; readonly attempt: number; readonly taskId: number; readonly executorId: string; readonly speculative: boolean };
  taskEnd: {
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
  };
  speculativeTask: { readonly stageId: number; readonly partition: number };
  blockSpilled: { readonly block: string; readonly bytes: number };
  blockDropped: { readonly block: string; readonly bytes: number };
  executorAdded: { readonly executorId: string; readonly cores: number; readonly host?: string; readonly memoryBytes?: number };
  executorRemoved: { readonly executorId: string; readonly reason: string };
  /** Tasks wait and no executor is registered (`registered` 0, since `since`), or executors are back (`registered` > 0). */
  executorsWaiting: { readonly since: number; readonly registered: number };
}

/** The name of an event ('jobStart', 'taskEnd', ...). */
export type EventType = keyof VoxelflowEventMap;

/** One event as listeners receive it: its fields, its type and when it was posted. */
type Stamped<K extends EventType> = {
  /** The event's name. */
  readonly type: K;
  /** When it was posted, ms since the epoch. */
  readonly time: number;
} & VoxelflowEventMap[K];
/** Flattens an intersection, so that editors and errors show one object type. */
type Flat<T> = { [P in keyof T]: T[P] };

/** Any event, as listeners receive it: a union discriminated by `type`. */
export type VoxelflowEvent = { [K in EventType]: Flat<Stamped<K>> }[EventType];
/** The event of type `K`, as listeners receive it. */
export type EventOf<K extends EventType> = Extract<
  VoxelflowEvent,
  {
    /** The event's name. */
    type: K;
  }
>;
/** Events as posted, before the bus stamps the time. */
export type EventInput = {
  [K in EventType]: Flat<
    {
      /** The event's name. */
      readonly type: K;
    } & VoxelflowEventMap[K]
  >;
}[EventType];

type Handler = (event: VoxelflowEvent) => void;

/** Synchronous fan-out; a throwing listener is reported once and never breaks the scheduler. */
export class EventBus {
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Listeners whose throw was already reported: a listener that throws on every event warns once. */
  private readonly reported = new WeakSet<Handler>();

  /** Calls `handler` for each event of `type` ('*': every event); returns the function that unsubscribes it. */
  on<K extends EventType | '*'>(type: K, handler: (event: K extends EventType ? EventOf<K> : VoxelflowEvent) => void): () => void {
    let set = this.handlers.get(type);
    if (set === undefined) this.handlers.set(type, (set = new Set()));
    set.add(handler as Handler);
    return () => this.off(type, handler);
  }

  /** Unsubscribes a handler given to `on` with the same type. */
  off<K extends EventType | '*'>(type: K, handler: (event: K extends EventType ? EventOf<K> : VoxelflowEvent) => void): void {
    this.handlers.get(type)?.delete(handler as Handler);
  }

  /** Stamps the event with the time and calls its listeners, then the '*' ones, synchronously. */
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
