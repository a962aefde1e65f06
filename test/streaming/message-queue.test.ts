import { describe, expect, it } from 'vitest';
import { MessageQueue, type MessagePeek } from '../../streaming/index.js';

const data = (frame: number): MessagePeek => ({ kind: 'data', series: '1', frame });
const control: MessagePeek = { kind: 'control', series: null, frame: null };
const buf = (n: number): Buffer[] => [Buffer.alloc(n)];

describe('MessageQueue', () => {
  it("'block' holds everything pushed and makes waitForSpace wait while full", async () => {
    const q = new MessageQueue(100, 'block');
    q.push(buf(60), data(0));
    q.push(buf(60), data(1));
    expect(q.full).toBe(true);
    let released = false;
    const wait = q.waitForSpace().then(() => (released = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(released).toBe(false);
    const first = await q.shift();
    expect(first?.state === 'message' && first.peek.frame).toBe(0);
    await wait;
    expect(released).toBe(true);
    expect(q.dropped).toBe(0);
  });

  it("'drop-oldest' turns the oldest data messages into tombstones and keeps control messages", async () => {
    const q = new MessageQueue(100, 'drop-oldest');
    q.push(buf(10), control);
    q.push(buf(60), data(0));
    q.push(buf(60), data(1));
    q.push(buf(60), data(2));
    expect(q.dropped).toBe(2);
    expect(q.bytes).toBeLessThanOrEqual(100);
    const got = [];
    q.close();
    for (let m = await q.shift(); m !== null; m = await q.shift()) got.push([m.state, m.peek.frame]);
    expect(got).toEqual([['message', null], ['dropped', 0], ['dropped', 1], ['message', 2]]);
  });

  it('shiftWithin times out on an empty open queue and returns null once closed', async () => {
    const q = new MessageQueue(100, 'block');
    expect(await q.shiftWithin(5)).toBe('timeout');
    q.close();
    expect(await q.shiftWithin(5)).toBeNull();
  });
});
