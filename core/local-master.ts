/**
 * What a local master string asks for: `local` (inline, 0 threads), `local[N]`, `local[*]` (one thread
 * a core). One parse for Context.create's checks and for the command line's prestart (which reads it
 * before loading anything else, so this module imports only node:os).
 */
import { availableParallelism } from 'node:os';

/**
 * Worker threads of a local master: 0 for `local`, N for `local[N]` (0 or more as written), the
 * machine's parallelism for `local[*]`; null for anything else (a cluster URL, `sge`).
 */
export function localMasterThreads(master: string): number | null {
  const m = /^local(?:\[(\*|\d+)\])?$/.exec(master);
  if (m === null) return null;
  return m[1] === undefined ? 0 : m[1] === '*' ? availableParallelism() : Number(m[1]);
}
