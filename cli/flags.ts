/**
 * The command line's one way in: every command declares its flags as node:util `parseArgs` specs and
 * parses them with `parseCommandLine`, then turns each value into what it means with the parsers
 * below (integers, numbers, `A0:A1` ranges, `XxYxZ` shapes and integer lists, `8g` sizes,
 * enumerations). Every problem is one `UsageError` (a `ConfigError` whose `option` is the flag): one
 * line, `--box must be an integer radius in 0..64, got 'x'`, printed by main.ts as
 * `voxelflow analyze: ...` with exit code 2. Unknown flags and missing values say so the same way.
 *
 * @example
 *   const { values, positionals } = parseCommandLine('demo', argv, { size: { type: 'string' } });
 *   const size = integerFlag('size', values.size ?? '256', { min: 16, max: 1024 });
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseSize } from '../core/index.js';
import { usage, UsageError } from './usage-error.js';

export { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--help` / `-h`, which every command takes. */
const HELP_FLAG = { help: { type: 'boolean', short: 'h', default: false } } as const;

/** What `parseCommandLine` returns for `options`: `values` typed by the specs (and `help`), and the positionals. */
export type ParsedCommandLine<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: typeof HELP_FLAG & O; allowPositionals: true; strict: true }>>;

/**
 * Parses `args` against `options` and `--help`/`-h` (strict: an unknown flag, a missing value or,
 * with `positionals: false`, an argument that is not a flag is a UsageError naming it and the
 * command's --help). `command` is how the help hint names the command, e.g. 'analyze' or 'batch run'.
 */
export function parseCommandLine<const O extends Options>(command: string, args: string[], options: O, { positionals = true } = {}): ParsedCommandLine<O> {
  try {
    return parseArgs({ args, options: { ...HELP_FLAG, ...options }, allowPositionals: positionals, strict: true }) as ParsedCommandLine<O>;
  } catch (err) {
    throw usage(err, command);
  }
}

/** The one positional `what` a command takes (`expected one input path, got 2; run 'voxelflow analyze --help'`). */
export function onePositional(command: string, positionals: readonly string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ${what}, got ${positionals.length}; run 'voxelflow ${command} --help'`);
  return positionals[0] as string;
}

/** Bounds of a numeric flag; `want` replaces the generated description (`an integer in 1..8`). */
export interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  /** The value must be greater than this (exclusive lower bound). */
  readonly above?: number;
  /** The value must be less than this (exclusive upper bound). */
  readonly below?: number;
  readonly want?: string;
}

/** The one line of a bad value: `--flag must be WANT, got 'TEXT'`. */
export function badValue(flag: string, want: string, text: string): UsageError {
  return new UsageError(`--${flag} must be ${want}, got '${text}'`, `--${flag}`);
}

/** An integer (decimal digits, optional sign) within the rule's bounds. */
export function integerFlag(flag: string, text: string, rule: NumberRule = {}): number {
  const n = Number(text);
  if (!/^\s*[+-]?\d+\s*$/.test(text) || !Number.isSafeInteger(n) || !within(n, rule)) throw badValue(flag, rule.want ?? describe('an integer', rule), text);
  return n;
}

/** A finite number within the rule's bounds. */
export function numberFlag(flag: string, text: string, rule: NumberRule = {}): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !within(n, rule)) throw badValue(flag, rule.want ?? describe('a number', rule), text);
  return n;
}

/**
 * `count` integers within the rule (default >= 0) separated by `sep`: shapes `64x64x32`, boxes
 * `x0,y0,z0,x1,y1,z1`. Without `want` the error says `--roi needs 6 non-negative integers separated by ','`.
 */
export function integerListFlag(flag: string, text: string, count: number, sep: 'x' | ',', rule: NumberRule = {}): number[] {
  const parts = text.split(sep);
  const min = rule.min ?? 0;
  if (parts.length !== count || parts.some((p) => !/^\s*\d+\s*$/.test(p) || !within(Number(p), { ...rule, min }))) {
    if (rule.want !== undefined) throw badValue(flag, rule.want, text);
    const what = min === 0 && rule.max === undefined ? 'non-negative integers' : describe('integers', { ...rule, min });
    throw new UsageError(`--${flag} needs ${count} ${what} separated by '${sep}', got '${text}'`, `--${flag}`);
  }
  return parts.map(Number);
}

/**
 * `A0:A1` with A0 < A1 (non-negative integers with `integer`; with `increasing: false` any A0 !== A1,
 * e.g. angles swept backwards); `want` describes it in the error.
 */
export function rangeFlag(flag: string, text: string, want: string, { integer = false, increasing = true } = {}): [number, number] {
  const m = /^\s*([+-]?[\d.e+-]+)\s*:\s*([+-]?[\d.e+-]+)\s*$/i.exec(text);
  const a = Number(m?.[1]), b = Number(m?.[2]);
  const ordered = increasing ? a < b : a !== b;
  const ok = m !== null && Number.isFinite(a) && Number.isFinite(b) && ordered && (!integer || (Number.isInteger(a) && Number.isInteger(b) && a >= 0));
  if (!ok) throw badValue(flag, want, text);
  return [a, b];
}

/** A byte size: `8g`, `512m`, `1.5GiB`, or a number of bytes. */
export function sizeFlag(flag: string, text: string): number {
  try {
    return parseSize(text, flag);
  } catch {
    throw badValue(flag, 'a size such as 8g or 512m', text);
  }
}

/** One of `choices` (`--socket must be pull or sub`, `--filter must be one of ramp, ...`). */
export function enumFlag<const T extends string>(flag: string, text: string, choices: readonly T[], want?: string): T {
  if (!(choices as readonly string[]).includes(text)) throw badValue(flag, want ?? oneOf(choices), text);
  return text as T;
}

/** `a or b` for two choices, `one of a, b, c` for more. */
function oneOf(choices: readonly string[]): string {
  return choices.length <= 2 ? choices.join(' or ') : `one of ${choices.join(', ')}`;
}

function within(n: number, rule: NumberRule): boolean {
  return (rule.min === undefined || n >= rule.min) && (rule.max === undefined || n <= rule.max) && (rule.above === undefined || n > rule.above) && (rule.below === undefined || n < rule.below);
}

function describe(kind: string, rule: NumberRule): string {
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} in ${rule.min}..${rule.max}`;
  if (rule.min !== undefined) return `${kind} >= ${rule.min}`;
  if (rule.max !== undefined) return `${kind} <= ${rule.max}`;
  if (rule.above !== undefined && rule.below !== undefined) return `${kind} in (${rule.above}, ${rule.below})`;
  if (rule.above !== undefined) return `${kind} > ${rule.above}`;
  if (rule.below !== undefined) return `${kind} < ${rule.below}`;
  return kind;
}
