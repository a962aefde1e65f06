/**
 * `voxelflow doctor`: what this machine gives voxelflow. Prints, one `name: value (detail)` line each,
 * the backend of every kernel (native C++ or TypeScript, and why), the Node and compiler versions, the
 * worker-thread count, and whether the optional parts are present: python3 with numpy and scipy (for
 * comparisons and benchmarks), Grid Engine, the ZeroMQ addon and Chromium.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join } from 'node:path';
import { backends as imagingBackends } from '../imaging/kernels/dispatch.js';
import { nativeStatus } from '../native/index.js';
import { backends as tomoBackends } from '../tomo/kernels/dispatch.js';
import { parseCommandLine } from './flags.js';

const HELP = `usage: voxelflow doctor

Prints which backend each kernel uses (native or typescript; VOXELFLOW_NATIVE=0 forces typescript),
the Node and compiler versions, the worker-thread count, and whether python3+numpy+scipy, Grid Engine
(qsub), the ZeroMQ addon and Chromium are present.`;

/** The first executable called `name` on PATH, or null. */
function onPath(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** The first line of `command args`' output, or null when it cannot run or fails. */
function firstLine(command: string, args: string[]): string | null {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error !== undefined || r.status !== 0) return null;
  return (r.stdout || r.stderr).split('\n')[0]?.trim() ?? null;
}

const presence = (name: string, present: boolean, detail: string): string => `${name}: ${present ? 'present' : 'absent'} (${detail})`;

function kernelLines(): string[] {
  const status = nativeStatus();
  return Object.entries({ ...imagingBackends(), ...tomoBackends() }).map(([kernel, backend]) => {
    const why =
      backend === 'native' ? 'C++ addon' : status.state === 'loaded' ? 'no native version yet' : `native ${status.state}: ${status.reason}`;
    return `kernel ${kernel}: ${backend} (${why})`;
  });
}

function python(): string {
  const r = spawnSync('python3', ['-c', 'import numpy, scipy; print(numpy.__version__, scipy.__version__)'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error !== undefined) return presence('python3+numpy+scipy', false, 'python3 not found');
  if (r.status !== 0) {
    const err = r.stderr.trim().split('\n').pop() ?? 'import failed';
    return presence('python3+numpy+scipy', false, err);
  }
  const [numpy, scipy] = r.stdout.trim().split(' ');
  return presence('python3+numpy+scipy', true, `numpy ${numpy ?? '?'}, scipy ${scipy ?? '?'}`);
}

async function zeromq(): Promise<string> {
  const name = 'zeromq'; // a variable, so that tsc does not need the optional package's types
  try {
    const m = (await import(name)) as { version?: string };
    return presence('zeromq addon', true, m.version !== undefined ? `libzmq ${m.version}` : 'loaded');
  } catch (err) {
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    return presence('zeromq addon', false, message);
  }
}

function chromium(): string {
  const found = ['/usr/bin/chromium'].find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }) ?? onPath('chromium') ?? onPath('chromium-browser');
  return presence('chromium', found !== null, found ?? 'neither /usr/bin/chromium nor chromium on PATH');
}

/** Runs `voxelflow doctor`; returns the exit code (0: a report, whatever is absent). */
export async function runDoctor(argv: string[]): Promise<number> {
  const { values } = parseCommandLine('doctor', argv, {}, { positionals: false });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const qsub = onPath('qsub');
  const lines = [
    ...kernelLines(),
    `node: ${process.version}`,
    `compiler: ${firstLine('g++', ['--version']) ?? 'not found'}`,
    `worker threads: ${availableParallelism()}`,
    python(),
    presence('grid engine', qsub !== null, qsub ?? 'qsub not on PATH'),
    await zeromq(),
    chromium(),
  ];
  console.log(lines.join('\n'));
  return 0;
}
