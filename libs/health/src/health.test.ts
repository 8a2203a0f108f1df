import { describe, expect, it } from '@jest/globals';
import { percentileFromBuckets } from './duration-buckets';
import { isStuck, type QueueState } from './queue-state';
import { renderJobStatsMetrics } from './job-stats-metrics';
import { summarizeHealth } from './health-summary';

const now = new Date('2026-12-03T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const state = (overrides: Partial<QueueState>): QueueState => ({
  queue: 'send-alert',
  waiting: 0,
  active: 0,
  delayed: 0,
  failed: 0,
  oldestWaitingAt: undefined,
  lastCompletedAt: undefined,
  ...overrides,
});

describe('isStuck', () => {
  it.each([
    { name: 'nothing waiting', s: state({ lastCompletedAt: minutesAgo(600) }), stuck: false },
    { name: 'waiting 20 min, never started', s: state({ waiting: 3, oldestWaitingAt: minutesAgo(20) }), stuck: true },
    { name: 'waiting 20 min, completed 2 min ago (busy, not stuck)', s: state({ waiting: 3, oldestWaitingAt: minutesAgo(20), lastCompletedAt: minutesAgo(2) }), stuck: false },
    { name: 'idle for hours, a job just arrived', s: state({ waiting: 1, oldestWaitingAt: minutesAgo(1), lastCompletedAt: minutesAgo(300) }), stuck: false },
    { name: 'waiting 11 min, last completion 11 min ago', s: state({ waiting: 1, oldestWaitingAt: minutesAgo(11), lastCompletedAt: minutesAgo(11) }), stuck: true },
    {
      name: 'a long job started 2 min ago while others wait 20 min (a live worker)',
      s: state({ waiting: 2, active: 1, oldestWaitingAt: minutesAgo(20), lastStartedAt: minutesAgo(2), lastCompletedAt: minutesAgo(30) }),
      stuck: false,
    },
    { name: 'every job fails, the last 1 min ago (working, not stuck)', s: state({ waiting: 5, oldestWaitingAt: minutesAgo(20), lastFinishedAt: minutesAgo(1) }), stuck: false },
    {
      name: 'nothing started or finished in 12 min, a job added 30 min ago waits',
      s: state({ waiting: 1, oldestWaitingAt: minutesAgo(30), lastStartedAt: minutesAgo(13), lastFinishedAt: minutesAgo(12), lastCompletedAt: minutesAgo(12) }),
      stuck: true,
    },
  ])('$name', ({ s, stuck }) => {
    expect(isStuck(s, now)).toBe(stuck);
  });
});

describe('percentileFromBuckets', () => {
  it.each<{ counts: Record<string, number>; p: number; expected: number | undefined }>([
    { counts: {}, p: 95, expected: undefined },
    { counts: { le_100: 19, le_1000: 1 }, p: 95, expected: 100 },
    { counts: { le_100: 18, le_1000: 2 }, p: 95, expected: 1000 },
    { counts: { le_10: 1, le_inf: 1 }, p: 95, expected: Number.POSITIVE_INFINITY },
  ])('p$p of $counts', ({ counts, p, expected }) => {
    expect(percentileFromBuckets(counts, p)).toBe(expected);
  });
});

describe('renderJobStatsMetrics', () => {
  it('escapes label values and makes the histogram cumulative', () => {
    const text = renderJobStatsMetrics([{ queue: 'a"b', window: { completed: 1, failed: 0, retried: 2, durationMsSum: 1500, buckets: { le_10: 1, le_1000: 1, le_inf: 1 } } }]);
    expect(text).toContain('triage_jobs_total{queue="a\\"b",outcome="retried"} 2');
    expect(text).toContain('triage_job_duration_seconds_bucket{queue="a\\"b",le="0.5"} 1');
    expect(text).toContain('triage_job_duration_seconds_bucket{queue="a\\"b",le="1"} 2');
    expect(text).toContain('triage_job_duration_seconds_bucket{queue="a\\"b",le="+Inf"} 3');
    expect(text).toContain('triage_job_duration_seconds_sum{queue="a\\"b"} 1.5');
  });
});

describe('summarizeHealth', () => {
  const window = { completed: 19, failed: 1, retried: 2, durationMsSum: 5_000, buckets: { le_100: 19, le_1000: 1 } };
  it.each([
    {
      name: 'all well',
      inputs: { now, jobs: [{ queue: 'send-alert', window }], queues: [state({ lastCompletedAt: minutesAgo(1) })], reachability: [{ name: 'Redis', state: 'ok' as const }, { name: 'GlitchTip', state: 'not configured' as const }], otherProblems: [] },
      contains: ['  send-alert             19       1    95.0%  ≤100 ms', '  GlitchTip          not configured'],
      problems: [],
    },
    {
      name: 'a stuck queue and an unreachable service',
      inputs: {
        now,
        jobs: undefined,
        queues: [state({ queue: 'investigate', waiting: 4, oldestWaitingAt: minutesAgo(30), workers: 0 })],
        reachability: [{ name: 'Telegram', state: 'down' as const, detail: 'ECONNREFUSED' }],
        otherProblems: ['/readyz answered 503'],
      },
      contains: ['  investigate              4       0        0       0  30 min ago  STUCK'],
      problems: ['/readyz answered 503', 'queue investigate: 4 waiting, oldest added 30 min ago, last job started or finished never, no worker consumes it', 'Telegram down: ECONNREFUSED'],
    },
  ])('$name', ({ inputs, contains, problems }) => {
    const summary = summarizeHealth(inputs);
    for (const line of contains) expect(summary.lines).toContain(line);
    expect(summary.problems).toEqual(problems);
  });
});
