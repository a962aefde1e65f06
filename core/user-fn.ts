/**
 * A user function and the values it may read. Functions are shipped as source text (see closure.ts);
 * everything they need from the driver travels in `env`. Every call passes `env` and the task's
 * TaskContext after the operation's own arguments: `map((x, env, tc) => ...)`.
 */
import { ConfigError } from './errors.js';
import { checkShippable } from './closure.js';
import { namedFunctionInfo } from './registry.js';

/** A function with its explicit environment. Functions nested in `env` are shipped too. */
export interface UserFn<F extends (...args: never[]) => unknown = (...args: never[]) => unknown> {
  readonly fn: F;
  readonly env: unknown;
}

/**
 * Wraps a user function. When the context serializes functions (every master but inline `local`),
 * the function is checked now so that a free variable fails at the line that introduced it.
 */
export function userFn<F extends (...args: never[]) => unknown>(
  fn: F,
  env: unknown,
  operation: string,
  serializes: boolean,
): UserFn<F> {
  if (typeof fn !== 'function') {
    throw new ConfigError('fn', `${operation} expects a function, got ${typeof fn}`);
  }
  if (serializes && namedFunctionInfo(fn) === undefined) {
    checkShippable(fn, operation);
    checkEnvFunctions(env, operation, 0);
  }
  return { fn, env };
}

function checkEnvFunctions(value: unknown, operation: string, depth: number): void {
  if (depth > 8 || value === null || typeof value !== 'object') {
    if (typeof value === 'function' && namedFunctionInfo(value) === undefined) checkShippable(value as () => unknown, `${operation} (function in env)`);
    return;
  }
  if (ArrayBuffer.isView(value)) return;
  const items = Array.isArray(value) ? value : Object.values(value);
  for (const item of items) checkEnvFunctions(item, operation, depth + 1);
}
