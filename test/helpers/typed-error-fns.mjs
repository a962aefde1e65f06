/**
 * Module functions that throw voxelflow's own typed errors inside a task. They are shipped by name,
 * so worker threads (also a cluster worker's) import this file and throw real instances there, of
 * the compiled core in dist/ that they run; the driver must rebuild them as its own classes. In the
 * test process (the driver, where the inline master calls them) it takes the core the test runs
 * from sources: a second copy of core there would replace the codec's msgpack extensions.
 */
const inVitest = '__vitest_worker__' in globalThis;
const { ConfigError, namedFunction, SpillDiskFullError } = await import(inVitest ? '../../core/index.ts' : '../../dist/core/index.js');

/** Throws a ConfigError naming the option `threshold`. */
export const failWithConfigError = namedFunction(
  'test.failWithConfigError',
  function failWithConfigError(x) {
    throw new ConfigError('threshold', `threshold: ${x} is not a number; pass a number`);
  },
  import.meta.url,
);

/** Throws a SpillDiskFullError whose cause is an errno error, as the block manager does. */
export const failWithDiskFull = namedFunction(
  'test.failWithDiskFull',
  function failWithDiskFull() {
    const errno = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    throw new SpillDiskFullError('/spill/here', 4096, 1000, null, { cause: errno });
  },
  import.meta.url,
);
