import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { appKey } from '@triage/queue';

/** Anything that paces GlitchTip requests: the in-process RateLimiter, or the Redis-shared one below. */
export interface RequestLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export interface SharedRateLimits {
  /** Requests started per second, all processes together (GlitchTip's 10/s). */
  perSecond: number;
  /** And per minute (the seed plan's ceiling of 100). */
  perMinute: number;
  /** Requests in flight at once, all processes together (2). */
  concurrency: number;
  /** A holder that died keeps its slot at most this long. */
  leaseMs: number;
  /** The window lengths (tests shorten them). */
  secondMs: number;
  minuteMs: number;
}

export const defaultSharedRateLimits: SharedRateLimits = { perSecond: 10, perMinute: 100, concurrency: 2, leaseMs: 30_000, secondMs: 1_000, minuteMs: 60_000 };

export interface SharedRateLimiterOptions {
  redis: Redis;
  /** QUEUE_PREFIX; keys go under `${prefix}:app:gt-rate:`. */
  prefix: string;
  limits?: Partial<SharedRateLimits>;
  sleep?: (ms: number) => Promise<void>;
}

// One script takes a concurrency slot and a token of both windows at once, or says how long to wait (taking nothing).
// Time comes from the Redis server, so processes on machines with skewed clocks share the same windows.
const acquireScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local concurrency, lease = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local wait = 0
if redis.call('ZCARD', KEYS[1]) >= concurrency then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  wait = math.min(50, math.max(1, tonumber(first[2]) - now))
end
local function window_wait(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count < limit then return 0 end
  local blocking = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  return math.max(1, tonumber(blocking[2]) + window - now)
end
local second, minute = tonumber(ARGV[6]), tonumber(ARGV[7])
wait = math.max(wait, window_wait(KEYS[2], tonumber(ARGV[3]), second), window_wait(KEYS[3], tonumber(ARGV[4]), minute))
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now + lease, ARGV[5])
redis.call('PEXPIRE', KEYS[1], lease)
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('PEXPIRE', KEYS[2], second)
redis.call('ZADD', KEYS[3], now, ARGV[5])
redis.call('PEXPIRE', KEYS[3], minute)
return 0
`;

/**
 * GlitchTip's request budget shared by every process on one Redis (several workers, two machines): at most
 * `concurrency` requests in flight and `perSecond` / `perMinute` started, all together. A slot whose holder died is
 * freed after `leaseMs`. While the budget is spent a caller waits (polling a few times a second at most).
 */
export class SharedRateLimiter implements RequestLimiter {
  private readonly limits: SharedRateLimits;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly keys: string[];

  constructor(private readonly options: SharedRateLimiterOptions) {
    this.limits = { ...defaultSharedRateLimits, ...options.limits };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.keys = ['slots', 'second', 'minute'].map((kind) => appKey(options.prefix, 'gt-rate', kind));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const holder = crypto.randomUUID();
    for (;;) {
      const waitMs = Number(await this.options.redis.eval(acquireScript, 3, ...this.keys, ...this.args(holder)));
      if (waitMs <= 0) break;
      await this.sleep(Math.min(waitMs, 250));
    }
    try {
      return await task();
    } finally {
      await this.options.redis.zrem(this.keys[0]!, holder).catch(() => undefined);
    }
  }

  private args(holder: string): string[] {
    const { concurrency, leaseMs, perSecond, perMinute, secondMs, minuteMs } = this.limits;
    return [concurrency, leaseMs, perSecond, perMinute, holder, secondMs, minuteMs].map(String);
  }
}
