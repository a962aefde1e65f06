/**
 * The file piscina starts each worker thread with. CommonJS on purpose: piscina require()s its
 * filename before it tries import(), and on Node 20.19+ require() of the ESM worker-main.js (which has
 * a top-level await, so require() must give up on it) loads and instantiates its whole module graph
 * synchronously. A thread terminated in the middle of that (a pool destroyed by ctx.stop(), or a
 * thread replaced after an aborted task, while its replacement is still starting) hit a V8 assertion
 * that kills the whole process ("v8::Module::IsGraphAsync must be used on an instantiated module"),
 * seen once in a full test run. Here require() loads only this file, and worker-main is imported
 * asynchronously, starting at once so that its preloading still overlaps the driver's planning.
 */
// A pool started from the command line's bundle names the bundle's worker-main (core/bundle.ts).
const bundled = (require('node:worker_threads') as typeof import('node:worker_threads')).workerData as { main?: string } | null;
const main: Promise<typeof import('./worker-main.js')> = import(bundled?.main ?? './worker-main.js');

module.exports = async function runTask(msg: Parameters<Awaited<typeof main>['default']>[0]): ReturnType<Awaited<typeof main>['default']> {
  return (await main).default(msg);
};
