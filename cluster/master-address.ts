/** Parses what users write for a master: `voxelflow://HOST:PORT` or `HOST:PORT` (IPv6 hosts in brackets). */
import { ConfigError } from '../core/index.js';

/** The `host:port` a gRPC channel dials. */
export function parseMasterAddress(text: string, option: string): string {
  const bare = text.startsWith('voxelflow://') ? text.slice('voxelflow://'.length).replace(/\/$/, '') : text;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/.exec(bare);
  if (m === null || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw new ConfigError(option, `${option}: expected voxelflow://HOST:PORT or HOST:PORT, got '${text}'`);
  }
  return `${m[1]}:${m[2]}`;
}
