import { describe, expect, it } from '@jest/globals';
import { RateLimiter, Semaphore, TokenBucket } from './rate-limiter';

describe('TokenBucket', () => {
  it.each<[string, number, Array<[number, number]>]>([
    // name, perSecond, [time of the call in ms, expected wait in ms]
    ['a full bucket serves a burst of its capacity at once', 2, [[0, 0], [0, 0], [0, 500], [0, 1000]]],
    ['waiting callers are spaced one token apart', 10, [...Array.from({ length: 10 }, (): [number, number] => [0, 0]), [0, 100], [0, 200]]],
    ['tokens come back with time', 2, [[0, 0], [0, 0], [500, 0], [500, 500]]],
    ['refill stops at capacity', 1, [[0, 0], [10_000, 0], [10_000, 1000]]],
    ['fractional rates', 0.5, [[0, 0], [0, 2000], [1000, 3000]]],
  ])('%s', (_name, perSecond, calls) => {
    let now = 0;
    const bucket = new TokenBucket(perSecond, undefined, () => now);
    for (const [at, expectedWait] of calls) {
      now = at;
      expect(bucket.reserve()).toBe(expectedWait);
    }
  });

  it.each([0, -1, NaN])('refuses perSecond %p', (perSecond) => {
    expect(() => new TokenBucket(perSecond)).toThrow(RangeError);
  });
});

describe('Semaphore', () => {
  it('admits up to its limit and hands slots to waiters in arrival order', async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    const releaseA = await semaphore.acquire();
    const releaseB = await semaphore.acquire();
    const c = semaphore.acquire().then((release) => {
      order.push('c');
      return release;
    });
    const d = semaphore.acquire().then((release) => {
      order.push('d');
      return release;
    });
    await Promise.resolve();
    expect([semaphore.inUse, order]).toEqual([2, []]);
    releaseA();
    releaseA(); // a second release of the same slot is ignored
    const releaseC = await c;
    expect(order).toEqual(['c']);
    releaseB();
    const releaseD = await d;
    expect(order).toEqual(['c', 'd']);
    releaseC();
    releaseD();
    expect(semaphore.inUse).toBe(0);
  });

  it.each([0, 1.5, -2])('refuses limit %p', (limit) => {
    expect(() => new Semaphore(limit)).toThrow(RangeError);
  });
});

describe('RateLimiter', () => {
  it('never runs more tasks at once than its concurrency and waits for tokens through its sleep', async () => {
    const sleeps: number[] = [];
    const limiter = new RateLimiter({ perSecond: 2, concurrency: 2 }, (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    });
    let running = 0;
    let peak = 0;
    const task = async (value: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return value;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((value) => limiter.run(() => task(value))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    // Two tokens in the bucket, then three callers that each had to wait for one.
    expect(sleeps).toHaveLength(3);
  });

  it('frees the slot when the task throws', async () => {
    const limiter = new RateLimiter({ perSecond: 100, concurrency: 1 });
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
