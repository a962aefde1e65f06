/** The loader's choice of backend in a fresh process: VOXELFLOW_NATIVE=0 forces TypeScript. */
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

import { nativeStatus } from '../../native/index.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const entry = pathToFileURL(join(dist, 'native', 'index.js')).href;
/** The two dispatchers: imaging's and tomography's kernels, each choosing the addon or its twins. */
const dispatchers = ['imaging', 'tomo'].map((f) => pathToFileURL(join(dist, f, 'kernels', 'dispatch.js')).href);

interface Probe {
  readonly backends: Record<string, string>;
  readonly status: { state: string };
  /** Kernel names whose `kernels` entry is the TypeScript twin itself. */
  readonly twins: string[];
}

/** Imports the loader and both dispatchers in a child node with `env`; returns their backends, the status and the twins. */
function probe(env: Record<string, string>): Probe {
  const script =
    `const n = await import(${JSON.stringify(entry)}); const ds = await Promise.all(${JSON.stringify(dispatchers)}.map((u) => import(u))); ` +
    'const twins = ds.flatMap((m) => Object.keys(m.kernels).filter((k) => m.kernels[k] === m.typescriptKernels[k])); ' +
    'const backends = Object.assign({}, ...ds.map((m) => m.backends())); ' +
    'console.log(JSON.stringify({ backends, status: n.nativeStatus(), twins }));';
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Probe;
}

const KERNELS = ['averageFrames', 'backProject', 'boxFilter', 'dezinger', 'facePairs', 'fft2', 'filterLines', 'flatField', 'labelBlock', 'labelStats', 'mapLabels', 'minusLog', 'paganin', 'phantomRegion', 'removeStripes', 'threshold'];
const everyKernel = (backend: string): Record<string, string> => Object.fromEntries(KERNELS.map((k) => [k, backend]));

describe('native loader', () => {
  it('VOXELFLOW_NATIVE=0 runs every kernel on TypeScript', () => {
    const r = probe({ VOXELFLOW_NATIVE: '0' });
    expect(r.status).toEqual({ state: 'disabled', reason: 'VOXELFLOW_NATIVE=0' });
    expect(Object.values(r.backends).every((b) => b === 'typescript')).toBe(true);
    expect(Object.keys(r.backends).sort()).toEqual(KERNELS);
    expect(r.twins.sort()).toEqual(KERNELS);
  });

  it('without VOXELFLOW_NATIVE the built dist loads the addon when it was built, and says so', () => {
    const r = probe({ VOXELFLOW_NATIVE: '' });
    expect(['loaded', 'absent']).toContain(r.status.state);
    if (nativeStatus().state === 'loaded') expect(r.status.state).toBe('loaded');
    const want = r.status.state === 'loaded' ? 'native' : 'typescript';
    expect(r.backends).toEqual(everyKernel(want));
    expect(r.twins.length).toBe(r.status.state === 'loaded' ? 0 : KERNELS.length);
  });

  it('worker threads, where pipelines run kernels, load the addon like the main thread', async () => {
    const script = `Promise.all(${JSON.stringify(dispatchers)}.map((u) => import(u))).then((ds) => require('node:worker_threads').parentPort.postMessage(Object.assign({}, ...ds.map((m) => m.backends()))));`;
    const worker = new Worker(script, { eval: true });
    const got = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    const want = nativeStatus().state === 'loaded' ? 'native' : 'typescript';
    expect(got).toEqual(everyKernel(want));
  });
});
