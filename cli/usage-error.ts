import { ConfigError } from '../core/errors.js';

/**
 * A bad command line: printed as one line, exit code 2. A `ConfigError` (the library's error for bad
 * options) whose `option` is the flag it is about, when one is (`--box`), else ''.
 */
export class UsageError extends ConfigError {
  constructor(message: string, flag = '') {
    super(flag, message);
  }
}

/** Wraps node:util parseArgs errors (unknown flag, missing value) as UsageError with a hint. */
export function usage(err: unknown, command: string): UsageError {
  const help = `run 'voxelflow ${command} --help'`;
  const msg = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
  // parseArgs calls `--box -1` "ambiguous": the value looks like an option, so it is not taken.
  const ambiguous = /^Option '(-[^']+)' argument is ambiguous/.exec(msg);
  if (ambiguous !== null) {
    const flag = ambiguous[1] as string;
    return new UsageError(`${flag} needs a value and the next argument starts with '-'; write ${flag}=VALUE to pass a value that starts with '-'; ${help}`);
  }
  return new UsageError(`${msg.replace(/\.? To specify.*$/, '').replace(/\.$/, '')}; ${help}`);
}
