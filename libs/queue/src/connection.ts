import { Redis, type RedisOptions } from 'ioredis';

/**
 * Producers (ingress, bot, CLI) must fail fast: with the offline queue off, a command sent while Redis is
 * unreachable rejects at once instead of waiting, so an HTTP caller gets a 503 rather than a hung request.
 */
export function createProducerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Commands issued in the same tick (a burst of webhooks) go out in one write instead of one syscall each.
    enableAutoPipelining: true,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
    ...options,
  });
}

/** Workers block on Redis and must ride out restarts: BullMQ requires maxRetriesPerRequest null here. */
export function createWorkerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 500, 5_000),
    ...options,
  });
}

/** Where workers publish the GlitchTip circuit breaker's state ('closed' | 'open' | 'half-open') for /readyz. */
export function glitchtipBreakerKey(prefix: string): string {
  return appKey(prefix, 'glitchtip-breaker');
}

/** Keys Triage keeps beside BullMQ's (dedup marks, pacing buckets, mutes) share the queue prefix and its hash tag. */
export function appKey(prefix: string, ...parts: Array<string | number>): string {
  return [prefix, 'app', ...parts].join(':');
}

/** Resolves true once the connection is ready, false after timeoutMs; a producer starting with Redis down still starts. */
export function waitUntilReady(connection: Redis, timeoutMs: number): Promise<boolean> {
  if (connection.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      connection.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    connection.once('ready', onReady);
  });
}
