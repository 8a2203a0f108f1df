import type { Redis } from 'ioredis';
import { bucketFieldOf, durationBucketsMs, percentileFromBuckets } from './duration-buckets';
import { dayBucket, hourBucket, recentHourBuckets, statsKey } from './job-stats-keys';

/** How one attempt of a job ended: done, failed for good, or failed with attempts left. */
export type JobOutcome = 'completed' | 'failed' | 'retried';

export const jobOutcomes: readonly JobOutcome[] = ['completed', 'failed', 'retried'];

export interface JobStatsWindow {
  completed: number;
  failed: number;
  retried: number;
  durationMsSum: number;
  /** Non-cumulative counts per duration bucket field (`le_250`, `le_inf`). */
  buckets: Record<string, number>;
}

/** When jobs of a type last started, finished (any outcome) and completed; undefined: never recorded. */
export interface JobActivity {
  lastStartedAt: Date | undefined;
  lastFinishedAt: Date | undefined;
  lastCompletedAt: Date | undefined;
}

/** Keeps the later of the stored and the given time: workers report out of order, and the newest must win. */
const setMax = `local current = redis.call('hget', KEYS[1], ARGV[1])
if not current or tonumber(current) < tonumber(ARGV[2]) then redis.call('hset', KEYS[1], ARGV[1], ARGV[2]) return 1 end
return 0`;

const hourTtlSeconds = 26 * 3600;
/** Daily aggregates are kept 30 days (plus a day so the 30th is whole). */
const dayTtlSeconds = 31 * 86_400;

/**
 * Per-job-type counters kept in Redis by every worker process, so the ingress (another process) can export them on
 * /metrics and `triage health` can read the last 24 hours: a running total, an hour hash (26 h) and a day hash (30 days).
 */
export class JobStats {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * One attempt's end. durationMs undefined: the attempt never ran the handler (invalid payload, stalled), so it is
   * counted without touching the duration histogram.
   */
  async record(queue: string, outcome: JobOutcome, durationMs: number | undefined, at = new Date()): Promise<void> {
    const keys = [
      { key: statsKey(this.prefix, queue, 'total'), ttl: undefined },
      { key: statsKey(this.prefix, queue, 'h', hourBucket(at)), ttl: hourTtlSeconds },
      { key: statsKey(this.prefix, queue, 'd', dayBucket(at)), ttl: dayTtlSeconds },
    ];
    const multi = this.redis.multi();
    multi.sadd(statsKey(this.prefix, 'queues'), queue);
    for (const { key, ttl } of keys) {
      multi.hincrby(key, outcome, 1);
      if (durationMs !== undefined) {
        multi.hincrby(key, bucketFieldOf(durationMs), 1);
        multi.hincrbyfloat(key, 'duration_ms_sum', Math.max(0, durationMs));
      }
      if (ttl !== undefined) multi.expire(key, ttl);
    }
    const total = statsKey(this.prefix, queue, 'total');
    multi.eval(setMax, 1, total, 'last_finished_at', at.getTime());
    if (outcome === 'completed') multi.eval(setMax, 1, total, 'last_completed_at', at.getTime());
    await multi.exec();
  }

  /** A job of this type began running (the stuck-queue rule counts starts as progress). */
  async recordStarted(queue: string, at = new Date()): Promise<void> {
    const multi = this.redis.multi();
    multi.sadd(statsKey(this.prefix, 'queues'), queue);
    multi.eval(setMax, 1, statsKey(this.prefix, queue, 'total'), 'last_started_at', at.getTime());
    await multi.exec();
  }

  /** Every queue a worker has recorded a job for. */
  async queues(): Promise<string[]> {
    return (await this.redis.smembers(statsKey(this.prefix, 'queues'))).sort();
  }

  async totals(queue: string): Promise<JobStatsWindow> {
    return windowOf([await this.redis.hgetall(statsKey(this.prefix, queue, 'total'))]);
  }

  async lastHours(queue: string, hours: number, now = new Date()): Promise<JobStatsWindow> {
    const multi = this.redis.multi();
    for (const hour of recentHourBuckets(now, hours)) multi.hgetall(statsKey(this.prefix, queue, 'h', hour));
    const replies = (await multi.exec()) ?? [];
    return windowOf(replies.map(([, value]) => (value ?? {}) as Record<string, string>));
  }

  /** Daily aggregates, newest first, for the last `days` UTC days (kept 30 days). */
  async lastDays(queue: string, days: number, now = new Date()): Promise<Array<{ day: string } & JobStatsWindow>> {
    const dayKeys = Array.from({ length: days }, (_, index) => dayBucket(new Date(now.getTime() - index * 86_400_000)));
    const multi = this.redis.multi();
    for (const day of dayKeys) multi.hgetall(statsKey(this.prefix, queue, 'd', day));
    const replies = (await multi.exec()) ?? [];
    return dayKeys.map((day, index) => ({ day, ...windowOf([(replies[index]?.[1] ?? {}) as Record<string, string>]) }));
  }

  async lastCompletedAt(queue: string): Promise<Date | undefined> {
    return (await this.activity(queue)).lastCompletedAt;
  }

  async activity(queue: string): Promise<JobActivity> {
    const [started, finished, completed] = await this.redis.hmget(statsKey(this.prefix, queue, 'total'), 'last_started_at', 'last_finished_at', 'last_completed_at');
    const dateOf = (value: string | null | undefined) => (value === null || value === undefined ? undefined : new Date(Number(value)));
    return { lastStartedAt: dateOf(started), lastFinishedAt: dateOf(finished), lastCompletedAt: dateOf(completed) };
  }
}

function windowOf(hashes: Array<Record<string, string>>): JobStatsWindow {
  const window: JobStatsWindow = { completed: 0, failed: 0, retried: 0, durationMsSum: 0, buckets: {} };
  const bucketFields = [...durationBucketsMs.map((limit) => `le_${limit}`), 'le_inf'];
  for (const hash of hashes) {
    window.completed += Number(hash.completed ?? 0);
    window.failed += Number(hash.failed ?? 0);
    window.retried += Number(hash.retried ?? 0);
    window.durationMsSum += Number(hash.duration_ms_sum ?? 0);
    for (const field of bucketFields) window.buckets[field] = (window.buckets[field] ?? 0) + Number(hash[field] ?? 0);
  }
  return window;
}

/** Successes over finished jobs (completed + failed for good); undefined when none finished. */
export function successRate(window: JobStatsWindow): number | undefined {
  const finished = window.completed + window.failed;
  return finished === 0 ? undefined : window.completed / finished;
}

export function p95DurationMs(window: JobStatsWindow): number | undefined {
  return percentileFromBuckets(window.buckets, 95);
}
