import { afterAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { clearPrefix, testRedisUrl, uniquePrefix } from '@triage/testing';
import { JobStats } from './job-stats';
import { isStuck, readQueueState } from './queue-state';

describe('readQueueState (real Redis)', () => {
  const prefix = uniquePrefix('qstate');
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  const queueConnection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const queue = new Queue('investigate', { connection: queueConnection, prefix });
  const stats = new JobStats(redis, prefix);

  afterAll(async () => {
    await queue.close();
    queueConnection.disconnect();
    await clearPrefix(testRedisUrl(), prefix);
    redis.disconnect();
  });

  it('dates the oldest waiting job by when it was added, whatever its priority or earlier delay, and reads the workers\' activity', async () => {
    const now = Date.now();
    // Added 40 min ago with a low priority (it sorts last), and one retried after a 30 min delay (timestamp + delay is the future).
    await queue.add('investigate', { issueId: '1' }, { priority: 9, timestamp: now - 40 * 60_000 });
    await queue.add('investigate', { issueId: '2' }, { priority: 1, timestamp: now - 60_000 });
    await queue.add('investigate', { issueId: '3' }, { timestamp: now - 20 * 60_000, delay: 0 });
    await stats.recordStarted('investigate', new Date(now - 3 * 60_000));
    const state = await readQueueState(queue, stats);
    expect(state.waiting).toBe(3);
    expect(state.oldestWaitingAt?.getTime()).toBe(now - 40 * 60_000);
    expect(state.lastStartedAt?.getTime()).toBe(now - 3 * 60_000);
    expect(isStuck(state, new Date(now))).toBe(false);
    expect(isStuck(state, new Date(now + 8 * 60_000))).toBe(true);
  });
});
