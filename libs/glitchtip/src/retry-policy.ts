export interface BackoffOptions {
  /** Delay before the first retry, before jitter (default 250 ms). */
  baseMs: number;
  /** Upper bound of any one delay (default 5000 ms). */
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 250, maxMs: 5_000 };

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, half random, so retries of many
 * clients spread out but never collapse to zero. `attempt` is 0 for the first retry.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export type FailureKind = 'server' | 'network' | 'rate-limited' | 'client';

/** What a status means for retries and the circuit breaker. */
export function classifyStatus(status: number): FailureKind | 'ok' {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'client';
}
