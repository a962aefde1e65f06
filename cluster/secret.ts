/**
 * The cluster secret: where a driver, master or worker gets it. Kept apart from auth.ts so that
 * reading a secret file (as `analyze --secret-file` does before it knows it needs a cluster) loads
 * neither gRPC nor the rest of the cluster code.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/index.js';

/** Reads a secret file; a trailing newline (as `echo` writes) is not part of the secret. */
export function readSecretFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('secretFile', `--secret-file: cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); pass a readable file holding the cluster secret`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.length === 0) throw new ConfigError('secretFile', `--secret-file: '${path}' is empty; write the cluster secret into it`);
  return secret;
}

/** The secret from, in order: an explicit value, a secret file, the VOXELFLOW_SECRET environment variable. */
export function resolveSecret(source: { readonly secret?: string | undefined; readonly secretFile?: string | undefined }, hint: string): string {
  if (source.secret !== undefined && source.secret.length > 0) return source.secret;
  if (source.secretFile !== undefined) return readSecretFile(source.secretFile);
  const env = process.env['VOXELFLOW_SECRET'];
  if (env !== undefined && env.length > 0) return env;
  throw new ConfigError('secret', `no cluster secret: ${hint} (every RPC is authenticated with it)`);
}
