import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { localThreads, masterFlag, prestartFor } from '../../cli/prestart.js';
import { adoptThreadPool, discardThreadPool } from '../../core/executor/thread-pool.js';

afterEach(async () => {
  await discardThreadPool();
});

/** The threads of the pool prestartFor left, 0 when none (the pool is stopped). */
async function prestarted(argv: string[], threads: number): Promise<number> {
  prestartFor(argv);
  const pool = adoptThreadPool(threads);
  if (pool === null) return 0;
  await pool.destroy();
  return pool.options.maxThreads;
}

describe('cli prestart', () => {
  it('reads --master as the command parser does: either spelling, the last one given, local[*] by default', () => {
    expect(masterFlag(['x.npy'])).toBe('local[*]');
    expect(masterFlag(['x.npy', '--master', 'local[2]'])).toBe('local[2]');
    expect(masterFlag(['--master=local[3]', 'x.npy'])).toBe('local[3]');
    expect(masterFlag(['--master', 'local[1]', '--master', 'sge'])).toBe('sge');
    expect(masterFlag(['--', '--master', 'local[2]'])).toBe('local[*]');
  });

  it('counts threads of local[N] and local[*] only', () => {
    expect(localThreads('local[4]')).toBe(4);
    expect(localThreads('local[*]')).toBe(availableParallelism());
    expect(localThreads('local')).toBe(0);
    expect(localThreads('voxelflow://h:7077')).toBe(0);
    expect(localThreads('sge')).toBe(0);
  });

  it('starts the pool of a pipeline command on a local master', async () => {
    expect(await prestarted(['analyze', 'v.npy', '--master', 'local[2]'], 2)).toBe(2);
    expect(await prestarted(['batch', 'run', 'p', '--master=local[1]'], 1)).toBe(1);
    expect(await prestarted(['demo'], availableParallelism())).toBe(availableParallelism());
  });

  it('starts nothing for help, other masters or commands that run no local pipeline', async () => {
    expect(await prestarted(['analyze', 'v.npy', '--master', 'local[2]', '--help'], 2)).toBe(0);
    expect(await prestarted(['analyze', 'v.npy', '--master', 'sge'], 2)).toBe(0);
    expect(await prestarted(['analyze', 'v.npy', '--master', 'local'], 1)).toBe(0);
    expect(await prestarted(['batch', 'status', 'p', '--master', 'local[2]'], 2)).toBe(0);
    expect(await prestarted(['worker', '--master', 'local[2]'], 2)).toBe(0);
    expect(await prestarted([], 2)).toBe(0);
  });
});
