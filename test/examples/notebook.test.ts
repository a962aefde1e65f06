/**
 * Runs examples/notebooks/quickstart.ipynb headless with Debian's jupyter-nbconvert on the tslab
 * TypeScript kernel (a devDependency). The kernel spec is written to a private JUPYTER_PATH, so nothing is
 * installed globally. Skips, naming what is missing, when Jupyter is absent; .ci/run installs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tslab = join(root, 'node_modules', '.bin', 'tslab');
const nbconvert = spawnSync('jupyter-nbconvert', ['--version'], { encoding: 'utf8' });
const missing = nbconvert.error !== undefined || nbconvert.status !== 0 ? 'Jupyter (jupyter-nbconvert; apt-get install jupyter-nbconvert python3-ipykernel)' : !existsSync(tslab) ? 'the tslab kernel (npm install)' : null;
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

describe.skipIf(missing !== null)(`quickstart notebook${missing !== null ? ` (skipped: ${missing} not found)` : ''}`, () => {
  it('runs every cell without error and shows a table, a labelled slice and plots', () => {
    const kernels = join(dir, 'kernels', 'tslab');
    mkdirSync(kernels, { recursive: true });
    writeFileSync(join(kernels, 'kernel.json'), JSON.stringify({ argv: [tslab, 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript', language: 'typescript' }));
    const out = join(dir, 'executed.ipynb');
    const r = spawnSync(
      'jupyter-nbconvert',
      ['--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=300', '--ExecutePreprocessor.kernel_name=tslab', 'quickstart.ipynb', '--output', out],
      { cwd: join(root, 'examples', 'notebooks'), encoding: 'utf8', env: { ...process.env, JUPYTER_PATH: dir, PYDEVD_DISABLE_FILE_VALIDATION: '1' }, timeout: 300_000 },
    );
    expect(r.status, r.stderr.split('\n').slice(-15).join('\n')).toBe(0);
    const nb = JSON.parse(readFileSync(out, 'utf8')) as { cells: { id: string; outputs?: Output[] }[] };
    const outputs = (id: string): Output[] => nb.cells.find((c) => c.id === id)?.outputs ?? [];
    const all = nb.cells.flatMap((c) => c.outputs ?? []);
    expect(all.filter((o) => o.output_type === 'error' || o.name === 'stderr')).toEqual([]);
    expect(outputs('pipeline')[0]?.text?.join('')).toMatch(/^\d+ components/);
    expect(String((outputs('table')[0]?.data ?? {})['text/html'])).toMatch(/<table>.*<td/);
    for (const id of ['slice', 'mip']) expect(typeof (outputs(id)[0]?.data ?? {})['image/png']).toBe('string');
    expect(outputs('plots').map((o) => String((o.data ?? {})['text/html']))).toEqual([expect.stringMatching(/^<svg/), expect.stringMatching(/components/)]);
  }, 320_000);
});
