/**
 * The wire protocol: cluster/protocol/voxelflow.proto loaded with protobufjs and turned into
 * @grpc/grpc-js service definitions (no code generation). Messages are plain objects with
 * camelCase fields; 64-bit integers are numbers; bytes fields are Uint8Arrays that are not copied.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { join } from 'node:path';
import { packageRoot } from '../core/index.js';

/** The proto file; shipped with the package next to dist/. */
export const PROTO_FILE = join(packageRoot(), 'cluster', 'protocol', 'voxelflow.proto');

const CONVERSION: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, arrays: true };

function serviceDefinition(root: protobuf.Root, name: string): ServiceDefinition {
  const service = root.lookupService(name);
  const def: Record<string, ServiceDefinition[string]> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const req = method.resolvedRequestType as protobuf.Type;
    const res = method.resolvedResponseType as protobuf.Type;
    def[method.name] = {
      path: `/${service.fullName.slice(1)}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: (value: object) => Buffer.from(req.encode(req.fromObject(value)).finish()),
      requestDeserialize: (bytes: Buffer) => req.toObject(req.decode(bytes), CONVERSION),
      responseSerialize: (value: object) => Buffer.from(res.encode(res.fromObject(value)).finish()),
      responseDeserialize: (bytes: Buffer) => res.toObject(res.decode(bytes), CONVERSION),
      originalName: method.name,
    };
  }
  return def as ServiceDefinition;
}

const root = protobuf.loadSync(PROTO_FILE);

/** The master's registry service. */
export const masterService: ServiceDefinition = serviceDefinition(root, 'voxelflow.cluster.Master');
/** Each worker's executor service. */
export const executorService: ServiceDefinition = serviceDefinition(root, 'voxelflow.cluster.Executor');

/** Largest message a client exchanges with the master (its replies and WatchCluster events; its own request limits are REQUEST_LIMITS). */
export const MASTER_MESSAGE_LIMIT = 1024 * 1024;
/** Largest task or outcome message (task inputs carry broadcasts; outcomes carry collected results). */
export const TASK_MESSAGE_LIMIT = 1024 * 1024 * 1024;
/** Block bytes are streamed in chunks of this size. */
export const BLOCK_CHUNK = 1024 * 1024;

const KIB = 1024;
/**
 * Largest request each method accepts, in bytes of the serialized message: what the work needs, with
 * room to spare. A larger declared length is refused before the body is read (secure-server.ts).
 * RunTask carries the stage's work and broadcasts; FetchBlocks up to 100 000 block ids.
 */
export const REQUEST_LIMITS: Readonly<Record<string, number>> = {
  '/voxelflow.cluster.Master/RegisterWorker': 64 * KIB,
  '/voxelflow.cluster.Master/Heartbeat': 4 * KIB,
  '/voxelflow.cluster.Master/LeaveWorker': 16 * KIB,
  '/voxelflow.cluster.Master/WatchCluster': 16 * KIB,
  '/voxelflow.cluster.Executor/RunTask': TASK_MESSAGE_LIMIT,
  '/voxelflow.cluster.Executor/FetchBlocks': 4 * 1024 * KIB,
  '/voxelflow.cluster.Executor/EndApp': 4 * KIB,
};

// ---- message shapes (as protobufjs produces them with the conversion options above) ----------

export interface WorkerInfo {
  readonly workerId: string;
  readonly name: string;
  readonly address: string;
  readonly cores: number;
  readonly memoryBytes: number;
}
export interface RegisterWorkerRequest {
  readonly name: string;
  readonly address: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly version: string;
}
export interface RegisterWorkerReply {
  readonly workerId: string;
  readonly heartbeatIntervalMs: number;
}
export interface HeartbeatRequest {
  readonly workerId: string;
  readonly runningTasks: number;
}
export interface HeartbeatReply {
  readonly known: boolean;
  readonly endedApps: readonly string[];
}
export interface LeaveWorkerRequest {
  readonly workerId: string;
  readonly reason: string;
  readonly draining: boolean;
}
export interface WatchClusterRequest {
  readonly appName: string;
  readonly version: string;
  readonly appId: string;
}
export interface ClusterEvent {
  readonly kind: 'ADDED' | 'DRAINING' | 'REMOVED' | 'SYNCED';
  readonly worker: WorkerInfo | null;
  readonly reason: string;
}
export interface RunTaskRequest {
  readonly appId: string;
  readonly version: string;
  readonly workId: string;
  readonly work: Uint8Array;
  readonly modules: readonly string[];
  readonly task: Uint8Array;
}
export interface RunTaskReply {
  readonly needWork: boolean;
  readonly outcome: Uint8Array;
}
export interface FetchBlocksRequest {
  readonly appId: string;
  readonly blockIds: readonly string[];
}
export interface BlockChunk {
  readonly index: number;
  readonly data: Uint8Array;
  readonly total: number;
  readonly missing: boolean;
}
export interface EndAppRequest {
  readonly appId: string;
}
