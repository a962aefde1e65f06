/**
 * The `ui` option of Context.create: where the dashboard listens. Loopback unless a host is given;
 * port 0 picks a free port (read it back from `ctx.ui.url`).
 */
import { ConfigError } from '../core/index.js';

/** The `ui` option of `Context.create`: where the dashboard listens. */
export interface UiOptions {
  /** TCP port, 0..65535 (Spark's UI uses 4040); 0 picks a free one. */
  readonly port: number;
  /** Interface to listen on (default '127.0.0.1'); '0.0.0.0' serves every interface, so say so explicitly. */
  readonly host?: string;
}

export interface ResolvedUiOptions {
  readonly port: number;
  readonly host: string;
}

/** Validates the `ui` option; throws a ConfigError naming the field and the fix. */
export function parseUiOptions(value: unknown): ResolvedUiOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('ui', `ui must be an object like { port: 4040 }, got ${JSON.stringify(value) ?? String(value)}`);
  }
  const { port, host, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ConfigError('ui', `ui has unknown field '${unknown[0]}'; the fields are port and host`);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('ui.port', `ui.port must be an integer from 0 to 65535 (0 picks a free port), got ${JSON.stringify(port) ?? String(port)}`);
  }
  if (host !== undefined && (typeof host !== 'string' || host.trim() === '')) {
    throw new ConfigError('ui.host', `ui.host must be an interface address such as '127.0.0.1' (the default) or '0.0.0.0', got ${JSON.stringify(host)}`);
  }
  return { port, host: (host as string | undefined) ?? '127.0.0.1' };
}

/** Whether `host` is a loopback address or name: then requests must name a loopback host too. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
