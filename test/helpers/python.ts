/**
 * A Python that has the modules a test needs. `python3` on PATH is often not the one with them (a pyenv
 * shim without tifffile while Debian's /usr/bin/python3 has it), so the interpreters are tried in order:
 * VOXELFLOW_PYTHON, python3 on PATH, /usr/bin/python3, /usr/local/bin/python3, VOXELFLOW_SKIMAGE_PYTHON and
 * the scikit-image venv of .ci/run.
 *
 * @example
 *   const python = findPython('numpy', 'tifffile'); // '/usr/bin/python3', or null
 */
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The virtual environment .ci/run makes for the tomography tests (`python3 -m venv --system-site-packages`
 * with scikit-image and h5py, installed offline from the machine's wheel folders); VOXELFLOW_SKIMAGE_PYTHON
 * names another interpreter that has them.
 */
export const SKIMAGE_VENV_PYTHON = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'voxelflow', 'skimage-venv', 'bin', 'python');

/** The interpreters tried, in order. */
export const PYTHONS: readonly string[] = [
  ...new Set(
    [process.env['VOXELFLOW_PYTHON'], 'python3', '/usr/bin/python3', '/usr/local/bin/python3', process.env['VOXELFLOW_SKIMAGE_PYTHON'], SKIMAGE_VENV_PYTHON].filter(
      (p): p is string => p !== undefined && p !== '',
    ),
  ),
];

const found = new Map<string, string | null>();

/** The first interpreter that imports every module named, or null. */
export function findPython(...modules: string[]): string | null {
  const key = modules.join(',');
  if (!found.has(key)) {
    const code = modules.length === 0 ? 'pass' : modules.map((m) => `import ${m}`).join('; ');
    found.set(key, PYTHONS.find((p) => spawnSync(p, ['-c', code], { encoding: 'utf8' }).status === 0) ?? null);
  }
  return found.get(key) ?? null;
}
