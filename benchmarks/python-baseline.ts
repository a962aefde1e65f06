/**
 * Baselines in numpy/scipy, run in one python3 process per suite: the script prints JSON. SCIPY_PRELUDE
 * imports numpy and scipy (printing `{"state": "absent", "reason": ...}` and exiting when they are
 * missing) and defines `med(f, runs)`: the median wall time in ms of `runs` calls after a warm-up.
 */
import { spawnSync } from 'node:child_process';

export const SCIPY_PRELUDE = String.raw`
import json, sys, time
try:
    import numpy as np
    import scipy
    from scipy import ndimage
except ImportError as e:
    print(json.dumps({"state": "absent", "reason": "python3 has no %s" % (e.name or e)}))
    sys.exit(0)
def med(f, runs):
    f()
    ts = []
    for _ in range(runs):
        s = time.perf_counter(); f(); ts.append((time.perf_counter() - s) * 1000)
    ts.sort()
    return ts[len(ts) // 2]
`;

/** Runs `script` with `args` (in `python`, default python3); its JSON output, or why it could not give it. Never throws. */
export function runPython(script: string, args: readonly string[], python = 'python3', env: NodeJS.ProcessEnv = process.env): { ok: true; json: unknown } | { ok: false; reason: string } {
  const r = spawnSync(python, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 20, env });
  if (r.error !== undefined) return { ok: false, reason: `python3 not runnable (${r.error.message})` };
  if (r.status !== 0) return { ok: false, reason: `python3 failed: ${r.stderr.trim().split('\n').pop() ?? ''}` };
  return { ok: true, json: JSON.parse(r.stdout) as unknown };
}
