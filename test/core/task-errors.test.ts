/**
 * Typed errors thrown inside tasks reach the driver as the same class with the same fields: the
 * cause of a TaskFailedError, or the job's own rejection for an input error (TableError). Runs on the
 * inline master and on worker threads (the cluster case is in test/cluster/cluster-jobs.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { ConfigError, SpillDiskFullError, TaskFailedError } from '../../core/index.js';
import { TableError } from '../../index.js';
import { failWithConfigError, failWithDiskFull } from '../helpers/typed-error-fns.mjs';
import { MASTERS, rejectionOf, withContext } from './engine-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'voxelflow-task-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(MASTERS)('typed task errors on %s', (master) => {
  it('gives a TaskFailedError whose cause is the task ConfigError, with its option and stack', async () => {
    await withContext({ master, maxTaskFailures: 1 }, async (ctx) => {
      const err = await rejectionOf(ctx.parallelize([7], 1).map(failWithConfigError).collect());
      expect(err).toBeInstanceOf(TaskFailedError);
      const cause = err.cause;
      expect(cause).toBeInstanceOf(ConfigError);
      const config = cause as ConfigError;
      expect(config._tag).toBe('ConfigError');
      expect(config.name).toBe('ConfigError');
      expect(config.option).toBe('threshold');
      expect(config.message).toBe('threshold: 7 is not a number; pass a number');
      expect(config.stack?.split('\n')[1]).toMatch(/at failWithConfigError \(.*typed-error-fns\.mjs/);
    });
  });

  it('rebuilds a SpillDiskFullError with its fields, its getter and its errno cause', async () => {
    await withContext({ master, maxTaskFailures: 1 }, async (ctx) => {
      const err = await rejectionOf(ctx.parallelize([1], 1).map(failWithDiskFull).collect());
      const full = err.cause as SpillDiskFullError;
      expect(full).toBeInstanceOf(SpillDiskFullError);
      expect([full.directory, full.blockBytes, full.spilledBytes, full.freeBytes, full.bytesNeeded]).toEqual(['/spill/here', 4096, 1000, null, 5096]);
      expect(full.message).toMatch(/^no space left to spill in \/spill\/here: it needed at least 5,096 bytes/);
      const errno = full.cause as NodeJS.ErrnoException;
      expect(errno).toBeInstanceOf(Error);
      expect([errno.code, errno.errno, errno.message]).toEqual(['ENOSPC', -28, 'ENOSPC: no space left on device, write']);
    });
  });

  it('rebuilds a built-in error class by name', async () => {
    await withContext({ master, maxTaskFailures: 1 }, async (ctx) => {
      const err = await rejectionOf(
        ctx
          .parallelize([1], 1)
          .map((x: number) => {
            throw new RangeError(`${x} is out of range`);
          })
          .collect(),
      );
      expect(err.cause).toBeInstanceOf(RangeError);
      expect((err.cause as Error).message).toBe('1 is out of range');
    });
  });

  it('rejects with the task TableError itself (an input error), with its fields', async () => {
    const path = join(dir, `short-${master.replace(/\W/g, "")}.csv`);
    writeFileSync(path, 'a,b\n1,2\n3\n');
    await withContext({ master }, async (ctx) => {
      const failed: string[] = [];
      ctx.on('jobEnd', (e) => void (e.result === 'failed' && failed.push(e.error ?? '')));
      const err = await rejectionOf(ctx.readCsv(path).count());
      expect(err).toBeInstanceOf(TableError);
      const table = err as TableError;
      expect([table.where, table.problem, table.fix]).toEqual([`${path}:3`, 'row has 1 column, the header has 2', 'fix the row, or check the delimiter (--delimiter)']);
      expect(table.message).toBe(`${path}:3: row has 1 column, the header has 2; fix the row, or check the delimiter (--delimiter)`);
      // The job's event still says which task failed.
      expect(failed).toEqual([expect.stringMatching(/^task for partition 0 of stage \d+ failed \d time\(s\); last error: TableError: /)]);
    });
  });
});
