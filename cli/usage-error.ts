/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  readonly _tag = 'UsageError';
}

/** Wraps node:util parseArgs errors (unknown flag, missing value) as UsageError with a hint. */
export function usage(err: unknown, command: string): UsageError {
  const msg = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
  return new UsageError(`${msg.replace(/\. To specify.*$/, '')}; run 'voxelflow ${command} --help'`);
}
