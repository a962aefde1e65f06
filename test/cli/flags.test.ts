/** cli/flags.ts: the one parser of each kind of flag value, and its one error (a ConfigError naming the flag). */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/index.js';
import { enumFlag, integerFlag, integerListFlag, numberFlag, onePositional, parseCommandLine, rangeFlag, sizeFlag, UsageError } from '../../cli/flags.js';

/** The UsageError `fn` throws: its message, and the flag it names. */
function refusal(fn: () => unknown): { message: string; option: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toBeInstanceOf(ConfigError);
    return { message: (err as UsageError).message, option: (err as UsageError).option };
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandLine', () => {
  const options = { box: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

  it('types the values by their specs, adds --help/-h, and keeps the positionals', () => {
    const r = parseCommandLine('analyze', ['in.npy', '--box', '2', '--json'], options);
    expect(r.values).toEqual({ box: '2', json: true, help: false });
    expect(r.positionals).toEqual(['in.npy']);
    expect(parseCommandLine('analyze', ['-h'], options).values.help).toBe(true);
  });

  it('refuses an unknown flag, a missing value and, without positionals, a stray argument, naming the help', () => {
    expect(refusal(() => parseCommandLine('analyze', ['--bogus'], options)).message).toBe("Unknown option '--bogus'; run 'voxelflow analyze --help'");
    expect(refusal(() => parseCommandLine('batch run', ['--box'], options)).message).toMatch(/^Option '--box <value>' argument missing; run 'voxelflow batch run --help'$/);
    expect(refusal(() => parseCommandLine('demo', ['extra'], options, { positionals: false })).message).toMatch(/^Unexpected argument 'extra'.*; run 'voxelflow demo --help'$/);
  });

  it('says how to pass a value that starts with a dash', () => {
    expect(refusal(() => parseCommandLine('analyze', ['--box', '-1'], options)).message).toBe("--box needs a value and the next argument starts with '-'; write --box=VALUE to pass a value that starts with '-'; run 'voxelflow analyze --help'");
  });

  it('takes exactly one positional where a command wants one', () => {
    expect(onePositional('analyze', ['a'], 'input path')).toBe('a');
    expect(refusal(() => onePositional('analyze', ['a', 'b'], 'input path')).message).toBe("expected one input path, got 2; run 'voxelflow analyze --help'");
  });
});

describe('value parsers', () => {
  it('integerFlag: decimal integers within the bounds, the flag named in the error', () => {
    expect(integerFlag('box', '3', { min: 0, max: 64 })).toBe(3);
    expect(integerFlag('seed', '-2')).toBe(-2);
    for (const bad of ['x', '', '1.5', '1e2', '65', '-1']) {
      expect(refusal(() => integerFlag('box', bad, { min: 0, max: 64 }))).toEqual({ message: `--box must be an integer in 0..64, got '${bad}'`, option: '--box' });
    }
    expect(refusal(() => integerFlag('scans', '0', { min: 1 })).message).toBe("--scans must be an integer >= 1, got '0'");
    expect(refusal(() => integerFlag('rings', '0', { min: 1, want: 'an odd window width' })).message).toBe("--rings must be an odd window width, got '0'");
  });

  it('numberFlag: finite numbers within inclusive and exclusive bounds', () => {
    expect(numberFlag('above', '-2.5e2')).toBe(-250);
    expect(refusal(() => numberFlag('above', 'high')).message).toBe("--above must be a number, got 'high'");
    expect(refusal(() => numberFlag('above', 'Infinity')).message).toBe("--above must be a number, got 'Infinity'");
    expect(numberFlag('noise', '0', { min: 0, below: 1 })).toBe(0);
    expect(refusal(() => numberFlag('noise', '1', { min: 0, below: 1, want: 'a fraction in [0, 1)' })).message).toBe("--noise must be a fraction in [0, 1), got '1'");
    expect(refusal(() => numberFlag('dezinger', '0', { above: 0 })).message).toBe("--dezinger must be a number > 0, got '0'");
  });

  it('integerListFlag: shapes and boxes, count and separator checked', () => {
    expect(integerListFlag('block', '32x16x8', 3, 'x', { min: 1 })).toEqual([32, 16, 8]);
    expect(integerListFlag('roi', '0,0,0,4,4,4', 6, ',')).toEqual([0, 0, 0, 4, 4, 4]);
    expect(refusal(() => integerListFlag('roi', '0,0,0,4,4', 6, ',')).message).toBe("--roi needs 6 non-negative integers separated by ',', got '0,0,0,4,4'");
    expect(refusal(() => integerListFlag('block', '32x0x8', 3, 'x', { min: 1 })).message).toBe("--block needs 3 integers >= 1 separated by 'x', got '32x0x8'");
    expect(refusal(() => integerListFlag('shape', '4,4', 3, ',', { min: 1, max: 4096, want: 'X,Y,Z with integers in 1..4096' })).message).toBe("--shape must be X,Y,Z with integers in 1..4096, got '4,4'");
  });

  it('rangeFlag: A0:A1 with A0 < A1 (or only A0 !== A1), integers when asked', () => {
    expect(rangeFlag('angles', '-90:90.5', 'A0:A1')).toEqual([-90, 90.5]);
    expect(rangeFlag('rows', '8:24', 'R0:R1', { integer: true })).toEqual([8, 24]);
    for (const bad of ['24:8', '8:8', '8', '1.5:3', 'a:b', '-1:3']) expect(refusal(() => rangeFlag('rows', bad, 'R0:R1 with R0 < R1', { integer: true })).message).toBe(`--rows must be R0:R1 with R0 < R1, got '${bad}'`);
    expect(rangeFlag('angles', '180:0', 'A0:A1', { increasing: false })).toEqual([180, 0]);
    expect(refusal(() => rangeFlag('angles', '90:90', 'A0:A1 in degrees', { increasing: false })).message).toBe("--angles must be A0:A1 in degrees, got '90:90'");
  });

  it('sizeFlag: 8g, 512m, bytes', () => {
    expect(sizeFlag('memory', '8g')).toBe(8 * 1024 ** 3);
    expect(sizeFlag('memory', '512m')).toBe(512 * 1024 ** 2);
    expect(refusal(() => sizeFlag('memory', 'lots'))).toEqual({ message: "--memory must be a size such as 8g or 512m, got 'lots'", option: '--memory' });
  });

  it('enumFlag: one of the choices, described as "a or b" or "one of a, b, c"', () => {
    expect(enumFlag('socket', 'pull', ['pull', 'sub'])).toBe('pull');
    expect(refusal(() => enumFlag('socket', 'req', ['pull', 'sub'])).message).toBe("--socket must be pull or sub, got 'req'");
    expect(refusal(() => enumFlag('filter', 'x', ['ramp', 'hann', 'cosine'])).message).toBe("--filter must be one of ramp, hann, cosine, got 'x'");
  });
});
