/**
 * voxelflow streaming: micro-batch DStreams and real-time detector ingest over ZeroMQ (DECTRIS
 * SIMPLON stream v1, PSI array-1.0), assembled scan by scan with every frame accounted for.
 *
 * @example
 *   import { Context } from 'voxelflow';
 *   import { StreamingContext } from 'voxelflow/streaming';
 *   const ctx = await Context.create({ master: 'local[2]' });
 *   const ssc = new StreamingContext(ctx, { batchIntervalMs: 1000 });
 *   const beam = ssc.zmqStream({ connect: 'tcp://127.0.0.1:9999', socket: 'pull', protocol: 'simplon-v1' });
 *   beam.frames().count().foreachRDD(async (rdd) => console.log('frames/s', await rdd.first()));
 *   beam.scans().foreach(async (scan) => {
 *     if (scan.data === null) return console.log(scan.report);
 *     const labels = scan.volume.boxFilter(1).threshold({ above: 400 }).labelComponents({ connectivity: 26 });
 *     console.log(scan.series, scan.report.status, await labels.componentCount());
 *   });
 *   await ssc.start();
 *   process.once('SIGINT', () => void ssc.stop({ graceful: true }));
 *   await ssc.awaitTermination();
 *   await ctx.stop();
 */
export { StreamingContext, type StreamingContextOptions, type StreamingState } from './streaming-context.js';
export { DStream, PushInputDStream } from './dstream.js';
export { BeamlineStream, type BeamlineStreamOptions, type FrameInfo, type ScanHandler } from './beamline-stream.js';
export { Scan } from './scan.js';
export type { ScanReport, ScanStatus, AbortReason, DropReason, StreamTotals } from './scan-report.js';
// Also adds the `scanUpdated` event to the context's event bus (its types).
export type { ScanProgress } from './scan-progress.js';
export { defaultMaxScanBytes } from './scan-bound.js';
export { ScanAssembler, type ScanAssemblerOptions, type Fate } from './scan-assembler.js';
export type { AssembledScan } from './open-scan.js';
export { ZmqSource, type ZmqSourceOptions, type SocketKind } from './zmq-source.js';
export { MessageQueue, type MessagePeek, type QueuedMessage, type QueuePolicy } from './message-queue.js';
export { PROTOCOLS, type ProtocolDecoder, type ProtocolName } from './protocol-decoder.js';
export { SimplonDecoder } from './simplon-decoder.js';
export { Array1Decoder } from './array1-decoder.js';
export { simplonHeader, simplonImage, simplonEnd, type SimplonFrame } from './simplon-encoder.js';
export { array1Message, type Array1Frame } from './array1-encoder.js';
export { lz4DecodeBlock, lz4EncodeBlock } from '../imaging/io/lz4-block.js';
export { BeamlineSimulator, type TomoFrames, FAULT_KINDS, type Fault, type FaultKind, type SimulatorOptions } from './beamline-simulator.js';
export type { StreamEvent, FrameEvent, MalformedReason, ScanMeta, FrameType } from './stream-event.js';
