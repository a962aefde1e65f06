import { describe, expect, it } from 'vitest';
import { ConfigError, type Context } from '../../index.js';
import { StreamingContext, type PushInputDStream } from '../../streaming/index.js';
import { contextPerFile } from '../helpers/context.js';

let ctx: Context;
contextPerFile({ master: 'local' }, (c) => (ctx = c));

/** Pushes `batches[k]` before the k-th tick and collects what the output saw at each time. */
async function run<T>(build: (input: PushInputDStream<number>) => (out: [number, T[]][]) => void, batches: number[][]): Promise<[number, T[]][]> {
  const ssc = new StreamingContext(ctx, { batchIntervalMs: 100, clock: 'manual' });
  const input = ssc.pushStream<number>();
  const out: [number, T[]][] = [];
  build(input)(out);
  await ssc.start();
  for (const b of batches) {
    for (const x of b) input.push(x);
    await ssc.tick();
  }
  await ssc.stop({ graceful: false });
  return out;
}

describe('DStream', () => {
  it('map and filter apply to every batch', async () => {
    const out = await run<number>((input) => (o) => input.map((x) => x * 10).filter((x) => x > 10).foreachRDD(async (rdd, t) => void o.push([t, await rdd.collect()])), [[1, 2, 3], [], [4]]);
    expect(out).toEqual([[100, [20, 30]], [200, []], [300, [40]]]);
  });

  it('count gives each batch size', async () => {
    const out = await run<number>((input) => (o) => input.count().foreachRDD(async (rdd, t) => void o.push([t, await rdd.collect()])), [[1, 2], [3], []]);
    expect(out).toEqual([[100, [2]], [200, [1]], [300, [0]]]);
  });

  it('window unions the last length/interval batches every slide', async () => {
    const out = await run<number>((input) => (o) => input.window(300, 200).foreachRDD(async (rdd, t) => void o.push([t, (await rdd.collect()).sort((a, b) => a - b)])), [[1], [2], [3], [4], [5]]);
    expect(out).toEqual([[200, [1, 2]], [400, [2, 3, 4]]]);
  });

  it('reduceByWindow reduces each window to one value', async () => {
    const out = await run<number>((input) => (o) => input.reduceByWindow((a, b) => a + b, 200).foreachRDD(async (rdd, t) => void o.push([t, await rdd.collect()])), [[1, 2], [3], [], [10]]);
    expect(out).toEqual([[100, [3]], [200, [6]], [300, [3]], [400, [10]]]);
  });

  it('rejects windows that are not multiples of the batch interval', () => {
    const ssc = new StreamingContext(ctx, { batchIntervalMs: 100 });
    expect(() => ssc.pushStream<number>().window(150)).toThrow(/multiple of the batch interval/);
    expect(() => new StreamingContext(ctx, { batchIntervalMs: 0 })).toThrow(ConfigError);
  });

  it('runs batches on the system clock and stops gracefully with a last batch', async () => {
    const ssc = new StreamingContext(ctx, { batchIntervalMs: 30 });
    const input = ssc.pushStream<number>();
    const seen: number[] = [];
    input.foreachRDD(async (rdd) => void seen.push(...(await rdd.collect())));
    await ssc.start();
    input.push(1);
    await new Promise((r) => setTimeout(r, 100));
    input.push(2);
    await ssc.stop({ graceful: true });
    await ssc.awaitTermination();
    expect(seen).toEqual([1, 2]);
    expect(ssc.state).toBe('stopped');
  });

  it('a failing output operation stops the context and awaitTermination rejects', async () => {
    const ssc = new StreamingContext(ctx, { batchIntervalMs: 20 });
    ssc.pushStream<number>().foreachRDD(() => {
      throw new Error('boom');
    });
    await ssc.start();
    await expect(ssc.awaitTermination()).rejects.toThrow('boom');
  });
});
