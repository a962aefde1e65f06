/** Loading a batch project on the command line: a bad batch.json or manifest.csv is one usage line (exit 2). */
import { isBatchProjectError, loadProject, type Project } from '../batch/index.js';
import { VERSION } from '../cluster/package-info.js';
import { STATS_COLUMNS } from './batch-item.js';
import { UsageError } from './usage-error.js';

/** The project at `dir`, checked; BatchProjectErrors become UsageErrors. */
export function openProject(dir: string): Project {
  try {
    return loadProject(dir, VERSION, STATS_COLUMNS);
  } catch (err) {
    throw asUsage(err);
  }
}

/** A BatchProjectError as a UsageError (same line); anything else unchanged. */
export function asUsage(err: unknown): unknown {
  return isBatchProjectError(err) ? new UsageError(err.message) : err;
}
