/**
 * The `voxelflow` command. Each subcommand is a module with a `run(argv)` that returns an exit code;
 * usage errors print one line and exit 2, failures print one line and exit 1, never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerClusterMasters } from '../cluster/masters.js';
import { ConfigError } from '../core/errors.js';
import { UsageError } from './usage-error.js';

// Every command that takes --master accepts voxelflow://HOST:PORT and sge (loaded when asked for).
registerClusterMasters();

/** A command whose module loads only when it runs, so that `voxelflow --help` does not load gRPC, ZeroMQ or Arrow. */
function lazy<K extends string>(load: () => Promise<Record<K, (argv: string[]) => Promise<number>>>, name: K): (argv: string[]) => Promise<number> {
  return async (argv) => (await load())[name](argv);
}

interface Command {
  readonly summary: string;
  readonly run: (argv: string[]) => Promise<number>;
}

const commands: Record<string, Command> = {
  analyze: { summary: 'read an image, crop, box-filter, threshold, label components and measure them', run: lazy(() => import('./analyze.js'), 'runAnalyze') },
  reconstruct: { summary: 'reconstruct a tomography scan (DXchange HDF5, .npy/TIFF stacks) by FBP; label and measure it too', run: lazy(() => import('./reconstruct.js'), 'runReconstruct') },
  demo: { summary: 'label and measure the pores of a 256^3 porous-bone phantom; writes voxelflow-demo/', run: lazy(() => import('./demo.js'), 'runDemo') },
  doctor: { summary: 'show which kernels run native or TypeScript, and which optional parts this machine has', run: lazy(() => import('./doctor.js'), 'runDoctor') },
  stream: { summary: 'receive detector scans over ZeroMQ and label and measure each one as it completes', run: lazy(() => import('./stream.js'), 'runStream') },
  'simulate-beamline': { summary: 'replay phantoms or a volume as a detector would, over ZeroMQ (SIMPLON v1 or array-1.0)', run: lazy(() => import('./simulate-beamline.js'), 'runSimulateBeamline') },
  master: { summary: 'start a cluster master; workers register with it, drivers connect to voxelflow://HOST:PORT', run: lazy(() => import('./master.js'), 'runMaster') },
  worker: { summary: 'start a cluster worker: runs tasks in its own threads and serves its blocks (--master HOST:PORT)', run: lazy(() => import('./worker.js'), 'runWorker') },
  sge: { summary: 'Grid Engine workers: print the job script, submit N workers, list or stop them', run: lazy(() => import('./sge.js'), 'runSge') },
  notebook: { summary: "set up Jupyter's TypeScript kernel (tslab) for notebooks: 'voxelflow notebook setup'", run: lazy(() => import('./notebook.js'), 'runNotebook') },
  batch: { summary: 'many images analyzed identically: init a project, run it (resumable, retried), status, collate', run: lazy(() => import('./batch.js'), 'runBatchCli') },
  table: { summary: 'statistics (describe, --by sample) or k-means clusters of CSV measurement tables', run: lazy(() => import('./table.js'), 'runTable') },
};

/** Commands that take --secret-file (the others read VOXELFLOW_SECRET only). */
const SECRET_FILE_COMMANDS = new Set(['analyze', 'reconstruct', 'master', 'worker', 'sge', 'batch']);

function help(): string {
  const width = Math.max(...[...Object.keys(commands), 'version'].map((c) => c.length));
  return [
    'voxelflow: a lazy, Spark-style dataflow engine for 3D image analysis',
    '',
    'usage: voxelflow <command> [options]',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  show this help (also --help, -h; 'voxelflow <command> --help' for a command)`,
    `  ${'version'.padEnd(width)}  print the version (also --version)`,
  ].join('\n');
}

function version(): string {
  const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** Runs the CLI; returns the process exit code. */
export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return 0;
  }
  if (name === 'version' || name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const command = commands[name];
  if (command === undefined) {
    console.error(`voxelflow: unknown command '${name}'; run 'voxelflow --help' for the list`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`voxelflow ${name}: ${err.message}`);
      return 2;
    }
    // Only the missing-secret error: a master refusing a wrong secret is also a 'secret' ConfigError.
    if (err instanceof ConfigError && err.option === 'secret' && /no cluster secret/.test(err.message) && SECRET_FILE_COMMANDS.has(name)) {
      // The library's hint names Context.create({ secret }); on the command line it is --secret-file.
      console.error(`voxelflow ${name}: no cluster secret: pass --secret-file FILE or set VOXELFLOW_SECRET (every RPC is authenticated with it)`);
      return 1;
    }
    console.error(`voxelflow ${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    if (process.env['VOXELFLOW_DEBUG']) console.error(err);
    return 1;
  }
}
