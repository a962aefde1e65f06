/**
 * The error base, its guard and registry, and errors as data (errorToData -> msgpack -> rebuildError)
 * without threads: which fields travel, what an unregistered tag becomes.
 */
import { describe, expect, it } from 'vitest';

import { decode, encode } from '../../core/codec.js';
import { errorToData, rebuildError, type RemoteErrorData } from '../../core/error-data.js';
import { ConfigError, FetchFailedError, isVoxelflowError, registerErrorClasses, SpillDiskFullError, VoxelflowError } from '../../core/errors.js';
import { ImageFormatError, TableError } from '../../index.js';

/** What the driver gets for an error thrown on a worker: through data and the wire codec. */
function overTheWire(err: unknown): Error {
  return rebuildError(decode<RemoteErrorData>(encode(errorToData(err))));
}

describe('isVoxelflowError', () => {
  it('is true for any voxelflow error without tags, and only for the given tags with them', () => {
    const config = new ConfigError('k', 'k: must be positive; pass k >= 1');
    expect(isVoxelflowError(config)).toBe(true);
    expect(isVoxelflowError(config, 'ConfigError')).toBe(true);
    expect(isVoxelflowError(config, 'TableError', 'ImageFormatError')).toBe(false);
    expect(isVoxelflowError(new TableError('t.csv:2', 'bad', 'fix'), 'TableError', 'ImageFormatError')).toBe(true);
  });

  it('reads the tag, so an error from another copy of the package passes, and an unknown tag does not', () => {
    const foreign = Object.assign(new Error('x.npy: truncated; re-export the file'), { _tag: 'ImageFormatError' });
    expect(isVoxelflowError(foreign, 'ImageFormatError')).toBe(true);
    expect(isVoxelflowError(foreign)).toBe(true);
    expect(isVoxelflowError(Object.assign(new Error('bad flag'), { _tag: 'UsageError' }))).toBe(false);
    expect(isVoxelflowError({ _tag: 'ConfigError', message: 'not an Error' })).toBe(false);
    expect(isVoxelflowError('ConfigError')).toBe(false);
  });
});

describe('registerErrorClasses', () => {
  it('refuses a key that is not the class name', () => {
    expect(() => registerErrorClasses({ TableError: ImageFormatError as never })).toThrow(ConfigError);
    expect(() => registerErrorClasses({ TableError: ImageFormatError as never })).toThrow("registerErrorClasses: key 'TableError' names class ImageFormatError; use the class name as the key");
  });
});

describe('errors as data', () => {
  it('rebuilds a registered class with its fields and stack, without running its constructor', () => {
    const original = new ImageFormatError('/d/a.npy', 'npy', 'truncated: 10 of 64 bytes', 're-export the file');
    const back = overTheWire(original);
    expect(back).toBeInstanceOf(ImageFormatError);
    expect(back).toBeInstanceOf(VoxelflowError);
    const e = back as ImageFormatError;
    expect([e._tag, e.name, e.file, e.format, e.problem, e.fix, e.message, e.stack]).toEqual([
      'ImageFormatError',
      'ImageFormatError',
      '/d/a.npy',
      'npy',
      'truncated: 10 of 64 bytes',
      're-export the file',
      original.message,
      original.stack,
    ]);
  });

  it('keeps the fetch failure of a FetchFailedError for the scheduler', () => {
    const data = errorToData(new FetchFailedError(3, 1, 'shuffle 3: block gone', 'exec-2'));
    expect(data.fetchFailed).toEqual({ shuffleId: 3, mapIndex: 1, executorId: 'exec-2' });
    const back = overTheWire(new FetchFailedError(3, 1, 'shuffle 3: block gone', 'exec-2')) as FetchFailedError;
    expect([back.shuffleId, back.mapIndex, back.executorId]).toEqual([3, 1, 'exec-2']);
  });

  it('sends plain data fields only: functions, class instances and huge arrays stay behind', () => {
    const err = Object.assign(new Error('boom'), { code: 'E_X', sizes: [1, 2], where: { line: 3 }, fn: () => 1, when: new Date(0), big: new Array(1000).fill(0) });
    const data = errorToData(err);
    expect(data.fields).toEqual({ code: 'E_X', sizes: [1, 2], where: { line: 3 } });
    expect(overTheWire(err)).toMatchObject({ code: 'E_X', sizes: [1, 2], where: { line: 3 } });
  });

  it('keeps the tag and fields of a class this process has not registered', () => {
    const err = Object.assign(new Error('manifest.csv: row 3 has no id'), { name: 'BatchProjectError', _tag: 'NotRegisteredHere', file: 'manifest.csv' });
    const back = overTheWire(err) as Error & { _tag: string; file: string };
    expect(back.constructor).toBe(Error);
    expect([back.name, back._tag, back.file]).toEqual(['BatchProjectError', 'NotRegisteredHere', 'manifest.csv']);
  });

  it('rebuilds the cause chain', () => {
    const errno = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const back = overTheWire(new SpillDiskFullError('/s', 10, 20, 5, { cause: errno })) as SpillDiskFullError;
    expect(back.bytesNeeded).toBe(30);
    expect((back.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
  });
});
