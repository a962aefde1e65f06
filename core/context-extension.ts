/**
 * The hook through which optional driver services (the web dashboard) plug into Context.create
 * without core importing them: a package registers a ContextOptions field name with a checker and a
 * starter; a context created with that field set starts the service and stops it in `ctx.stop()`.
 *
 * @example
 *   registerContextExtension('ui', {
 *     check: (value) => parseUiOptions(value),
 *     start: async (ctx, value) => { const d = await Dashboard.start(ctx, value); return () => d.close(); },
 *   });
 */
import { ConfigError } from './errors.js';
import type { Context, ContextOptions } from './context.js';

/** An optional service bound to one context's lifetime. */
export interface ContextExtension {
  /** Throws a ConfigError naming the option for a bad value; runs before anything starts. */
  check(value: unknown, options: ContextOptions): void;
  /**
   * Starts the service once the context exists, before it reports its first executors, so the
   * service sees every event. Returns what `ctx.stop()` calls last. A rejection fails Context.create.
   */
  start(ctx: Context, value: unknown, options: ContextOptions): Promise<() => Promise<void>>;
}

const extensions = new Map<string, ContextExtension>();

/** Makes `Context.create({ [option]: value })` start `extension`. A later registration replaces an earlier one. */
export function registerContextExtension(option: string, extension: ContextExtension): void {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(option)) throw new ConfigError('option', `registerContextExtension: option must be an identifier, got '${option}'`);
  extensions.set(option, extension);
}

/** The registered extensions whose option is set in `options`, in registration order. */
export function requestedExtensions(options: ContextOptions): [ContextExtension, unknown][] {
  const out: [ContextExtension, unknown][] = [];
  for (const [option, ext] of extensions) {
    const value = (options as Record<string, unknown>)[option];
    if (value !== undefined) out.push([ext, value]);
  }
  return out;
}
