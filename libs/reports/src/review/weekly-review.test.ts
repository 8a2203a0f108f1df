import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import postgres from 'postgres';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { holdoutGroupOf, recordOutcomeEvent } from '@triage/outcomes';
import { JobStats } from '@triage/health';
import { Redis } from 'ioredis';
import { clearPrefix, createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@triage/testing';
import { pngSize } from '../chart/events-chart';
import { renderReview } from './render-review';
import { renderResolveChart } from './review-chart';
import { weeklyReview } from './weekly-review';

/** Welch's one-sided p from the textbook formulas, independent of the review's library. */
function welchP(x: number[], y: number[]): number {
  const avg = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = (values: number[]) => values.reduce((sum, value) => sum + (value - avg(values)) ** 2, 0) / (values.length - 1);
  const a = variance(x) / x.length;
  const b = variance(y) / y.length;
  const df = (a + b) ** 2 / (a ** 2 / (x.length - 1) + b ** 2 / (y.length - 1));
  return 1 - tCdf((avg(x) - avg(y)) / Math.sqrt(a + b), df);
}

const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('weekly review on a seeded data set', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let sql: postgres.Sql;
  const expected = { control: { ack: [] as number[], resolve: [] as number[] }, treatment: { ack: [] as number[], resolve: [] as number[] } };
  // Monday 2026-11-30 10:00 UTC: the review covers the two weeks from Monday 2026-11-16.
  const reviewAt = new Date('2026-11-30T10:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = connectDatabase(database.url, { max: 4 });
    sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    const start = Date.parse('2026-11-16T08:00:00Z');
    for (let index = 0; index < 80; index += 1) {
      const issueId = String(9_000 + index);
      const group = holdoutGroupOf(issueId, 50);
      const alertedAt = new Date(start + index * 3 * 3_600_000); // every 3 h: 80 issues over 10 days
      // Deterministic durations: the control group slower, with spread.
      const ack = group === 'control' ? 8 + (index % 7) * 2 : 2 + (index % 5);
      const resolve = ack + (group === 'control' ? 10 + (index % 9) * 3 : 4 + (index % 4) * 2);
      await recordOutcomeEvent(handle.db, { type: 'alerted', issueId, at: alertedAt, regression: false, holdoutPercent: 50 });
      await recordOutcomeEvent(handle.db, { type: 'action', issueId, at: new Date(alertedAt.getTime() + ack * 60_000), action: 'acknowledge', actor: '@ana' });
      await recordOutcomeEvent(handle.db, { type: 'action', issueId, at: new Date(alertedAt.getTime() + resolve * 60_000), action: 'resolve', actor: '@ana' });
      expected[group].ack.push(ack);
      expected[group].resolve.push(resolve);
      if (group === 'treatment' && index % 4 === 0) {
        // An investigation finished a minute after the alert, voted on; every other one from the cache.
        await sql`insert into investigations (issue_id, status, started_at, finished_at, from_cache, vote)
                  values (${issueId}, 'done', ${alertedAt}, ${new Date(alertedAt.getTime() + 60_000)}, ${index % 8 === 0}, ${index % 3 === 0 ? 'not-helpful' : 'helpful'})`;
      }
    }
    // Tool use: two presses, a resolve command and an /errors command in the first week; a refusal does not count.
    const used = new Date('2026-11-17T12:00:00Z');
    await sql`insert into audit_log (at, actor, action, target, result, details) values
      (${used}, 'telegram:7', 'issue.acknowledge', 'triage', 'ok', '{"source":"button"}'),
      (${used}, 'telegram:7', 'issue.resolve', 'glitchtip', 'ok', '{"source":"button"}'),
      (${used}, 'telegram:7', 'issue.resolve', 'glitchtip', 'ok', '{"source":"command"}'),
      (${used}, 'telegram:7', 'reply.command.errors', 'telegram', 'ok', '{}'),
      (${used}, 'telegram:9', 'issue.resolve', 'triage', 'refused', '{"source":"button"}')`;
    // Outside the window: must not count.
    await recordOutcomeEvent(handle.db, { type: 'alerted', issueId: '1', at: new Date('2026-11-30T09:00:00Z'), regression: false, holdoutPercent: 50 });
  });

  afterAll(async () => {
    await sql?.end();
    await handle?.close();
    await database?.drop();
  });

  it('reports per-group means, medians and the Welch p-value as computed here', async () => {
    const review = await weeklyReview({ db: handle.db, redis: undefined, queuePrefix: '{t}', timeZone: 'UTC', holdoutPercent: 50 }, { at: reviewAt, weeks: 2 });
    expect(review.weeks.map((week) => week.monday)).toEqual(['2026-11-16', '2026-11-23']);
    expect(review.episodes.total).toBe(80);
    expect(review.episodes.control).toBe(expected.control.ack.length);
    expect(review.acknowledge.control.mean).toBeCloseTo(average(expected.control.ack), 3);
    expect(review.acknowledge.treatment.mean).toBeCloseTo(average(expected.treatment.ack), 3);
    expect(review.resolve.control.mean).toBeCloseTo(average(expected.control.resolve), 3);
    expect(review.resolve.pValue).toBeCloseTo(welchP(expected.control.resolve, expected.treatment.resolve), 3);
    expect(review.acknowledge.pValue).toBeCloseTo(welchP(expected.control.ack, expected.treatment.ack), 3);
    expect(review.resolve.enough).toBe(true);

    const votes = await sql`select vote, from_cache from investigations`;
    const helpful = votes.filter((row) => row.vote === 'helpful').length;
    expect(review.helpfulVotes.share).toBeCloseTo(helpful / votes.length, 6);
    expect(review.cacheHitRatio).toBeCloseTo(votes.filter((row) => row.from_cache).length / votes.length, 6);
    // Help facts were derived onto the episodes: every investigated one shows it before the first action.
    expect(review.helpShownBeforeAction.investigation).toBe(votes.length);
    const [stored] = await sql`select count(*)::int as count from episodes where investigation_shown_at is not null and investigation_vote is not null`;
    expect(stored?.count).toBe(votes.length);

    expect(review.usage[0]).toMatchObject({ week: '2026-11-16', buttonPresses: 2, commands: 2 });
    expect(review.usage.reduce((sum, week) => sum + week.investigations, 0)).toBe(votes.length);
    const text = renderReview(review).text;
    expect(text).toContain('one-sided Welch p = ');
    expect(text).not.toContain('not enough data yet');
    const png = await renderResolveChart(review);
    expect(pngSize(png)).toEqual({ width: 800, height: 400 });
  });

  it('says "not enough data yet" with the n per group needed for 80 % power at the observed spread', async () => {
    // A week with six issues per group, the treatment one minute faster on a spread of about two minutes.
    const week = Date.parse('2026-10-05T08:00:00Z');
    const controlAck = [10, 12, 14, 9, 11, 13];
    const treatmentAck = [9, 11, 13, 8, 10, 12];
    const ids = { control: [] as string[], treatment: [] as string[] };
    for (let candidate = 50_000; ids.control.length < 6 || ids.treatment.length < 6; candidate += 1) {
      const group = holdoutGroupOf(String(candidate), 50);
      if (ids[group].length < 6) ids[group].push(String(candidate));
    }
    for (const group of ['control', 'treatment'] as const) {
      for (const [index, issueId] of ids[group].entries()) {
        const at = new Date(week + index * 3_600_000);
        const ack = (group === 'control' ? controlAck : treatmentAck)[index]!;
        await recordOutcomeEvent(handle.db, { type: 'alerted', issueId, at, regression: false, holdoutPercent: 50 });
        await recordOutcomeEvent(handle.db, { type: 'action', issueId, at: new Date(at.getTime() + ack * 60_000), action: 'acknowledge', actor: '@bo' });
      }
    }
    const review = await weeklyReview({ db: handle.db, redis: undefined, queuePrefix: '{t}', timeZone: 'UTC', holdoutPercent: 50 }, { at: new Date('2026-10-12T09:00:00Z'), weeks: 1, readOnly: true });
    // Textbook: pooled sd of the two groups (equal spread here), delta 1, z 1.6449 + 0.8416.
    const sd = Math.sqrt(controlAck.reduce((sum, value) => sum + (value - average(controlAck)) ** 2, 0) / 5);
    const needed = Math.ceil(2 * (((1.6449 + 0.8416) * sd) / 1) ** 2);
    expect(review.acknowledge.neededPerGroup).toBe(needed);
    expect(review.acknowledge.enough).toBe(false);
    const text = renderReview(review).text;
    expect(text).toContain(`not enough data yet: ${needed} per group needed for 80% power at the observed spread (have 6 / 6)`);
    // Nothing resolved yet: no test at all for time to resolve.
    expect(text).toContain('not enough data yet: at least 5 per group needed before any test (have 0 / 0)');
  });

  it("reports each job's success rate and p95 duration over the weeks from the workers' statistics", async () => {
    const prefix = uniquePrefix('rev');
    const redis = new Redis(testRedisUrl());
    try {
      const stats = new JobStats(redis, prefix);
      const inWeek = new Date('2026-11-18T12:00:00Z');
      for (let index = 0; index < 19; index += 1) await stats.record('process-alert', 'completed', 40 + index, inWeek);
      await stats.record('process-alert', 'failed', 9_000, inWeek);
      await stats.record('process-alert', 'completed', 10, new Date('2026-11-25T12:00:00Z')); // the week after: not counted
      // lastDays reaches back from the review's end; the figures are the week's only.
      const review = await weeklyReview({ db: handle.db, redis, queuePrefix: prefix, timeZone: 'UTC', holdoutPercent: 50 }, { at: new Date('2026-11-23T10:00:00Z'), weeks: 1, readOnly: true });
      expect(review.jobs).toEqual([{ queue: 'process-alert', completed: 19, failed: 1, successRate: 0.95, p95Ms: expect.any(Number) }]);
      expect(review.jobs[0]!.p95Ms).toBeGreaterThanOrEqual(58);
      expect(renderReview(review).text).toMatch(/process-alert +95\.0%  p95 \d+ ms  \(19 done, 1 failed\)/);
    } finally {
      redis.disconnect();
      await clearPrefix(testRedisUrl(), prefix);
    }
  });
});
