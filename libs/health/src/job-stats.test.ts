import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { clearPrefix, testRedisUrl, uniquePrefix } from '@triage/testing';
import { JobStats, p95DurationMs, successRate } from './job-stats';

describe('JobStats (real Redis)', () => {
  const prefix = uniquePrefix('stats');
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  const stats = new JobStats(redis, prefix);

  afterAll(async () => {
    await clearPrefix(testRedisUrl(), prefix);
    redis.disconnect();
  });

  it('keeps totals, the last 24 hours and daily aggregates (30 days) per job type', async () => {
    const now = new Date('2026-12-03T12:30:00Z');
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    await stats.record('investigate', 'completed', 100, hoursAgo(30));
    await stats.record('investigate', 'completed', 800, hoursAgo(0));
    await stats.record('investigate', 'completed', 1_200, hoursAgo(5));
    await stats.record('investigate', 'retried', 30, hoursAgo(5));
    await stats.record('investigate', 'failed', 9_000, hoursAgo(23));
    await stats.record('send-alert', 'completed', 20, hoursAgo(1));

    expect(await stats.queues()).toEqual(['investigate', 'send-alert']);
    const day = await stats.lastHours('investigate', 24, now);
    expect([day.completed, day.failed, day.retried]).toEqual([2, 1, 1]);
    expect(successRate(day)).toBeCloseTo(2 / 3);
    expect(p95DurationMs(day)).toBe(10_000);
    const totals = await stats.totals('investigate');
    expect([totals.completed, totals.failed, totals.retried, totals.durationMsSum]).toEqual([3, 1, 1, 11_130]);
    const days = await stats.lastDays('investigate', 3, now);
    expect(days.map((entry) => [entry.day, entry.completed, entry.failed])).toEqual([
      ['2026-12-03', 2, 0],
      ['2026-12-02', 1, 1],
      ['2026-12-01', 0, 0],
    ]);
    const ttl = await redis.ttl(`${prefix}:app:jobstats:investigate:d:2026-12-03`);
    expect(ttl).toBeGreaterThan(30 * 86_400);
    expect(ttl).toBeLessThanOrEqual(31 * 86_400);
    expect(await redis.ttl(`${prefix}:app:jobstats:investigate:total`)).toBe(-1);
    expect((await stats.lastCompletedAt('investigate'))?.toISOString()).toBe('2026-12-03T07:30:00.000Z');
  });
});
