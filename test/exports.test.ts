import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as voxelflow from '../index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The npm packages a fresh Node process has loaded after importing `entry` (CommonJS ones, as gRPC and protobufjs are). */
function packagesLoadedBy(entry: string): string[] {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(entry)});
    const names = new Set();
    for (const file of Object.keys(createRequire(import.meta.url).cache)) {
      const parts = file.split('node_modules/').pop().split('/');
      if (file.includes('node_modules/')) names.add(parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0]);
    }
    console.log(JSON.stringify([...names].sort()));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as string[];
}

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
        "ExecutorWaitTimeoutError",
        "Expr",
        "FILTER_NAMES",
        "FRAME_AVERAGES",
        "FetchFailedError",
        "FreeVariableError",
        "GroupedTable",
        "HashPartitioner",
        "ImageFormatError",
        "ImageRDD",
        "Images",
        "IncrementalFbp",
        "InputError",
        "JobAbortedError",
        "KNOWN_BACKGROUND",
        "KNOWN_FOREGROUND",
        "KeyMap",
        "LabeledImage",
        "PHANTOM_KINDS",
        "Preview",
        "RDD",
        "RangePartitioner",
        "SerializationError",
        "ShapeTable",
        "SpillDiskFullError",
        "StatCounter",
        "Table",
        "TableError",
        "TaskContext",
        "TaskFailedError",
        "Tomo",
        "VoxelflowError",
        "approxCount",
        "approxMean",
        "cacheableArray",
        "col",
        "compareKeys",
        "correctedRows",
        "defineContextMembers",
        "driverContext",
        "evenAngles",
        "findCenter",
        "formatBytes",
        "globRegExp",
        "hasGlob",
        "hashKey",
        "histogramSvg",
        "inverseNormalCdf",
        "inverseStudentTCdf",
        "isSpillDiskFullError",
        "isTableError",
        "isVoxelflowError",
        "keysEqual",
        "knownComponents",
        "lit",
        "makeRng",
        "namedFunction",
        "openImage",
        "openScan",
        "overlayPng",
        "packageRoot",
        "parseDType",
        "parseSize",
        "parseUiOptions",
        "projectPhantom",
        "rasterizePhantom",
        "readAngles",
        "readImage",
        "readSecretFile",
        "reconstructSlices",
        "registerClusterMasters",
        "registerContextExtension",
        "registerErrorClasses",
        "registerMasterScheme",
        "registerNode",
        "samplePhantom",
        "scanFromFrames",
        "settleAtTimeout",
        "simulateScan",
        "sizeDistribution",
        "sizeDistributionSvg",
        "toPlan",
        "writeDxchange",
        "writeImage",
      ]
    `);
  });

  it('importing the package entry loads neither gRPC nor protobuf (the cluster code loads when a cluster master is asked for)', () => {
    const loaded = packagesLoadedBy(join(ROOT, 'dist', 'index.js'));
    expect(loaded).toContain('seedrandom');
    expect(loaded.filter((p) => /grpc|protobuf/.test(p))).toEqual([]);
  });

  it('the cluster entry has the servers, and loads gRPC', async () => {
    const cluster = await import('../cluster/index.js');
    expect(Object.keys(cluster).sort()).toEqual(['Master', 'Worker', 'readSecretFile', 'registerClusterMasters']);
    expect(packagesLoadedBy(join(ROOT, 'dist', 'cluster', 'index.js'))).toContain('@grpc/grpc-js');
  });
});

