/**
 * Byte sizes in configuration: `'512m'`, `'2g'`, `'1.5GiB'`. Multiples are binary (1k = 1024), as
 * in Spark's `spark.executor.memory`, whether or not the unit is spelled `KB` or `KiB`.
 */

import { ConfigError } from './errors.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
const POWERS: Readonly<Record<string, number>> = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

// A number, then an optional unit letter with an optional `b`/`ib` suffix, or a bare `b`.
const SIZE = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:([kmgtp])(?:i?b)?|(b))?\s*$/i;

/**
 * Parses a byte size: `'512'`, `'512b'`, `'64k'`, `'2m'`, `'1.5g'`, `'2GB'`, `'2GiB'`; a number is
 * taken as bytes. Fractional results are rounded to whole bytes. `option` names the setting in the
 * ConfigError thrown for anything else.
 */
export function parseSize(text: string | number, option: string): number {
  if (typeof text === 'number') {
    if (Number.isSafeInteger(text) && text >= 0) return text;
    throw badSize(option, text);
  }
  const match = SIZE.exec(text);
  if (match === null) throw badSize(option, text);
  const unit = (match[2] ?? match[3] ?? '').toLowerCase();
  const bytes = Math.round(Number(match[1]) * 1024 ** (POWERS[unit] ?? 0));
  if (!Number.isSafeInteger(bytes)) throw badSize(option, text);
  return bytes;
}

/** Formats a byte count for people: `512 B`, `64 KiB`, `1.5 GiB` (one decimal at most). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return `${n} B`;
  const sign = n < 0 ? '-' : '';
  let value = Math.abs(n);
  let unit = 0;
  // Compare the rounded value so 1023.96 KiB prints as 1 MiB, not 1024 KiB.
  while (unit < UNITS.length - 1 && Math.round(value * 10) / 10 >= 1024) {
    value /= 1024;
    unit++;
  }
  const rounded = unit === 0 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${sign}${rounded} ${UNITS[unit]}`;
}

function badSize(option: string, got: string | number): ConfigError {
  return new ConfigError(option, `${option}: expected a size like '512m' or '2g', got '${got}'`);
}
