import { describe, expect, it } from 'vitest';
import * as streaming from '../../streaming/index.js';

describe('voxelflow/streaming public API', () => {
  // Every change to the public surface shows up here in review.
  it('exports exactly these names', () => {
    expect(Object.keys(streaming).sort()).toMatchInlineSnapshot(`
      [
        "Array1Decoder",
        "BeamlineSimulator",
        "BeamlineStream",
        "DStream",
        "FAULT_KINDS",
        "MessageQueue",
        "PROTOCOLS",
        "PushInputDStream",
        "Scan",
        "ScanAssembler",
        "SimplonDecoder",
        "StreamingContext",
        "ZmqSource",
        "array1Message",
        "defaultMaxScanBytes",
        "lz4DecodeBlock",
        "lz4EncodeBlock",
        "simplonEnd",
        "simplonHeader",
        "simplonImage",
      ]
    `);
  });
});
