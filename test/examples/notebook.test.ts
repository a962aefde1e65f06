/**
 * Runs examples/notebooks/quickstart.ipynb headless after the README's setup step, `npm run
 * notebook:setup` (voxelflow notebook setup: the tslab kernel spec, by absolute path, for the Jupyter it
 * finds), with nbconvert from that same Jupyter. JUPYTER_DATA_DIR points both at a temporary folder, so
 * the test leaves the user's own kernels alone. Skips, naming what is missing, without Jupyter; .ci/run
 * installs it with apt as the README says.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { skipName } from '../helpers/skip.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The Jupyters `voxelflow notebook setup` tries, in its order, as [command, ...args before the subcommand]. */
const JUPYTERS = [['jupyter'], ['python3', '-m', 'jupyter'], ['/usr/bin/python3', '-m', 'jupyter'], ['/usr/local/bin/python3', '-m', 'jupyter']];
const works = (j: string[], ...args: string[]) => spawnSync(j[0]!, [...j.slice(1), ...args], { encoding: 'utf8' }).status === 0;
const jupyter = JUPYTERS.find((j) => works(j, '--data-dir'));
const missing =
  jupyter === undefined
    ? 'no Jupyter (apt-get install jupyter-nbconvert python3-ipykernel, as the README says)'
    : !works(jupyter, 'nbconvert', '--version')
      ? `${jupyter.join(' ')} has no nbconvert (apt-get install jupyter-nbconvert)`
      : !existsSync(join(root, 'node_modules', 'tslab'))
        ? 'the tslab kernel is not installed (npm install)'
        : null;
const dir = mkdtempSync(join(tmpdir(), 'vf-notebook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Output {
  readonly output_type: string;
  readonly name?: string;
  readonly text?: string[];
  readonly data?: Record<string, unknown>;
  readonly ename?: string;
  readonly evalue?: string;
}

describe.skipIf(missing !== null)(skipName('quickstart notebook', missing), () => {
  it('runs every cell without error and shows a table, a labelled slice and plots', () => {
    const env = { ...process.env, JUPYTER_DATA_DIR: join(dir, 'data'), PYDEVD_DISABLE_FILE_VALIDATION: '1' };
    // The README's step, as written there.
    const setup = spawnSync('npm', ['run', '--silent', 'notebook:setup'], { cwd: root, encoding: 'utf8', env, timeout: 120_000 });
    expect(setup.status, setup.stderr).toBe(0);
    expect(setup.stdout).toMatch(/kernel 'tslab' installed/);
    const spec = JSON.parse(readFileSync(join(dir, 'data', 'kernels', 'tslab', 'kernel.json'), 'utf8')) as { argv: string[] };
    expect(spec.argv.slice(0, 2).every((p) => p.startsWith('/'))).toBe(true);
    const out = join(dir, 'executed.ipynb');
    const j = jupyter!;
    const userPath = (process.env['PATH'] ?? '').split(':').filter((p) => !p.includes('node_modules')).join(':');
    const r = spawnSync(
      j[0]!,
      [...j.slice(1), 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=300', '--ExecutePreprocessor.kernel_name=tslab', 'quickstart.ipynb', '--output', out],
      // Without node_modules/.bin on PATH (npm test puts it there; a user's shell does not): the spec must not need it.
      { cwd: join(root, 'examples', 'notebooks'), encoding: 'utf8', env: { ...env, PATH: userPath }, timeout: 300_000 },
    );
    expect(r.status, r.stderr.split('\n').slice(-15).join('\n')).toBe(0);
    const nb = JSON.parse(readFileSync(out, 'utf8')) as { cells: { id: string; outputs?: Output[] }[] };
    const outputs = (id: string): Output[] => nb.cells.find((c) => c.id === id)?.outputs ?? [];
    const all = nb.cells.flatMap((c) => c.outputs ?? []);
    expect(all.filter((o) => o.output_type === 'error' || o.name === 'stderr')).toEqual([]);
    expect(outputs('pipeline')[0]?.text?.join('')).toMatch(/^\d+ components/);
    expect(String(outputs('table')[0]?.data?.['text/html'])).toMatch(/<table>.*<td/);
    for (const id of ['slice', 'mip']) expect(typeof outputs(id)[0]?.data?.['image/png']).toBe('string');
    expect(outputs('plots').map((o) => String(o.data?.['text/html']))).toEqual([expect.stringMatching(/^<svg/), expect.stringMatching(/components/)]);
  }, 320_000);
});
