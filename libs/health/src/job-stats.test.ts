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
    // Recorded out of order (12:30, then 07:30): the latest completion is kept, not the last one written.
    expect((await stats.lastCompletedAt('investigate'))?.toISOString()).toBe('2026-12-03T12:30:00.000Z');
  });

  it('keeps the latest start and the latest end of any outcome; an attempt that never ran counts without a duration', async () => {
    const at = (iso: string) => new Date(iso);
    await stats.recordStarted('digest', at('2026-12-03T10:05:00Z'));
    await stats.recordStarted('digest', at('2026-12-03T10:01:00Z'));
    await stats.record('digest', 'failed', 1_500, at('2026-12-03T10:04:00Z'));
    await stats.record('digest', 'failed', undefined, at('2026-12-03T10:02:00Z'));
    expect(await stats.activity('digest')).toEqual({
      lastStartedAt: at('2026-12-03T10:05:00Z'),
      lastFinishedAt: at('2026-12-03T10:04:00Z'),
      lastCompletedAt: undefined,
    });
    const totals = await stats.totals('digest');
    expect(totals.failed).toBe(2);
    expect(totals.durationMsSum).toBe(1_500);
    expect(Object.values(totals.buckets).reduce((sum, count) => sum + count, 0)).toBe(1);
  });
});
