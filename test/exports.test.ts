import { describe, expect, it } from 'vitest';
import * as voxelflow from '../index.js';

describe('public API', () => {
  // Every change to the public surface shows up here in review.
  it('exports exactly these names', () => {
    expect(Object.keys(voxelflow).sort()).toMatchInlineSnapshot(`
      [
        "Accumulator",
        "Broadcast",
        "ConfigError",
        "Context",
        "DEFAULT_RETENTION",
        "DTYPES",
        "Dashboard",
        "DashboardState",
        "EventBus",
        "FetchFailedError",
        "FreeVariableError",
        "HashPartitioner",
        "ImageFormatError",
        "ImageRDD",
        "Images",
        "JobAbortedError",
        "KeyMap",
        "LabeledImage",
        "Master",
        "Preview",
        "RDD",
        "RangePartitioner",
        "SerializationError",
        "StatCounter",
        "TaskContext",
        "TaskFailedError",
        "VoxelflowError",
        "Worker",
        "compareKeys",
        "formatBytes",
        "hashKey",
        "histogramSvg",
        "keysEqual",
        "namedFunction",
        "openImage",
        "overlayPng",
        "parseDType",
        "parseSize",
        "parseUiOptions",
        "readImage",
        "readSecretFile",
        "registerContextExtension",
        "registerMasterScheme",
        "registerNode",
        "sizeDistribution",
        "sizeDistributionSvg",
        "toPlan",
        "writeImage",
      ]
    `);
  });
});
