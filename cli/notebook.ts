/**
 * `voxelflow notebook setup`: registers the TypeScript kernel (tslab) with a Jupyter on this machine, in
 * one step that works as written. It finds a Jupyter (`--jupyter`, `jupyter` on
 * PATH, then `python -m jupyter` for the usual interpreters, so a pyenv `python3` without Jupyter does not
 * hide Debian's), and installs a kernel spec whose command is absolute: this node and the project's
 * tslab script. A bare `tslab` in the spec (what `tslab install` writes) fails unless node_modules/.bin is
 * on the PATH of whoever starts Jupyter.
 *
 * @example
 *   voxelflow notebook setup                  # kernel "tslab" for the first Jupyter found, for this user
 *   voxelflow notebook setup --jupyter /usr/bin/jupyter
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { badValue, parseCommandLine, UsageError } from './flags.js';

const USAGE = `usage: voxelflow notebook setup [--jupyter COMMAND] [--name NAME]

Writes a Jupyter kernel spec for this user (in $(jupyter --data-dir)/kernels/NAME) that runs
TypeScript notebooks with tslab, by absolute path: this node, and the tslab of the current project
(else voxelflow's own).

  --jupyter  the jupyter command to register with (default: jupyter on PATH, else python3 -m jupyter,
             /usr/bin/python3 -m jupyter, /usr/local/bin/python3 -m jupyter: the first that answers --data-dir)
  --name     kernel name (default tslab; notebooks in examples/notebooks use it)

No Jupyter? Debian/Ubuntu: sudo apt-get install jupyter-notebook python3-ipykernel (jupyter-nbconvert to
run notebooks headless); pip: python3 -m pip install notebook.`;

const INSTALL_HINT = "install Jupyter (Debian/Ubuntu: 'sudo apt-get install jupyter-notebook python3-ipykernel'; pip: 'python3 -m pip install notebook') or pass --jupyter";

/** A way to run jupyter: the command and the arguments before the subcommand. */
interface Jupyter {
  readonly command: string;
  readonly prefix: readonly string[];
}

const show = (j: Jupyter): string => [j.command, ...j.prefix].join(' ');

function candidates(explicit: string | undefined): Jupyter[] {
  if (explicit !== undefined) return [{ command: explicit, prefix: [] }];
  return [
    { command: 'jupyter', prefix: [] },
    ...['python3', '/usr/bin/python3', '/usr/local/bin/python3'].map((python) => ({ command: python, prefix: ['-m', 'jupyter'] })),
  ];
}

/**
 * The first candidate that answers `jupyter --data-dir`, with that folder: the user's kernel specs live in
 * its `kernels/` (where `jupyter kernelspec install --user` puts them; JUPYTER_DATA_DIR moves it). Only
 * jupyter_core is needed for this: Debian's jupyter-nbconvert has no `kernelspec` subcommand.
 */
function findJupyter(explicit: string | undefined): { jupyter: Jupyter; dataDir: string } | null {
  for (const j of candidates(explicit)) {
    const r = spawnSync(j.command, [...j.prefix, '--data-dir'], { encoding: 'utf8', timeout: 60_000 });
    const dataDir = r.stdout?.trim() ?? '';
    if (r.error === undefined && r.status === 0 && dataDir.startsWith('/')) return { jupyter: j, dataDir };
  }
  return null;
}

/** tslab's entry script: the current project's, else the one beside voxelflow; null when neither has it. */
function findTslab(): string | null {
  const from = [join(process.cwd(), 'package.json'), fileURLToPath(import.meta.url)];
  for (const base of from) {
    try {
      const pkg = createRequire(base).resolve('tslab/package.json');
      const script = join(dirname(pkg), 'bin', 'tslab');
      if (existsSync(script)) return realpathSync(script);
    } catch {
      // not installed there
    }
  }
  return null;
}

function parse(argv: string[]): { jupyter: string | undefined; name: string } {
  const [sub, ...rest] = argv;
  if (sub !== 'setup') throw new UsageError(sub === undefined ? "name a subcommand: 'voxelflow notebook setup'" : `unknown subcommand '${sub}' (setup)`);
  const { values } = parseCommandLine('notebook', rest, { jupyter: { type: 'string' }, name: { type: 'string', default: 'tslab' } }, { positionals: false });
  const name = values.name ?? 'tslab';
  if (!/^[\w.-]+$/.test(name)) throw badValue('name', "letters, digits, '.', '-' or '_'", name);
  return { jupyter: values.jupyter, name };
}

/** Runs `voxelflow notebook`; returns the exit code. */
export async function runNotebook(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const { jupyter: explicit, name } = parse(argv);
  const tslab = findTslab();
  if (tslab === null) {
    console.error("voxelflow notebook setup: tslab not found in this project or beside voxelflow; run 'npm install --save-dev tslab' here");
    return 1;
  }
  const found = findJupyter(explicit);
  if (found === null) {
    const tried = candidates(explicit).map(show).join(', ');
    console.error(`voxelflow notebook setup: no Jupyter found (tried ${tried}); ${INSTALL_HINT}`);
    return 1;
  }
  const { jupyter, dataDir } = found;
  const spec = join(dataDir, 'kernels', name);
  const kernel = { argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript (tslab)', language: 'typescript' };
  mkdirSync(spec, { recursive: true });
  writeFileSync(join(spec, 'kernel.json'), `${JSON.stringify(kernel, null, 1)}\n`);
  console.log(`voxelflow: kernel '${name}' installed for ${show(jupyter)} in ${spec}: ${process.execPath} ${tslab} kernel`);
  console.log(`  open a notebook with: ${show(jupyter)} notebook examples/notebooks/quickstart.ipynb (kernel "TypeScript (tslab)")`);
  return 0;
}
