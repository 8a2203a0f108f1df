import type { Redis } from 'ioredis';

/** Deletes the key only while it still holds our token: a claim that outlived its expiry never frees the next one. */
const releaseIfMine = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface ClaimOptions {
  /** How long the claim lives if its holder dies without releasing it. */
  ttlMs: number;
  /** How long to wait for another holder to finish before giving up. */
  waitMs: number;
  pollMs?: number;
}

export class ClaimBusyError extends Error {
  constructor(readonly key: string) {
    super(`${key} is held by another run`);
    this.name = 'ClaimBusyError';
  }
}

/** A Redis SET NX claim with a token, released by compare-and-delete. */
export async function acquireClaim(redis: Redis, key: string, token: string, ttlMs: number): Promise<boolean> {
  return (await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK';
}

export async function releaseClaim(redis: Redis, key: string, token: string): Promise<void> {
  await redis.eval(releaseIfMine, 1, key, token);
}

/**
 * Runs `work` while holding the claim, waiting for another holder to finish first (it polls: holders are few and
 * short). Throws ClaimBusyError when the wait runs out, so the job retries instead of writing twice.
 */
export async function withClaim<T>(redis: Redis, key: string, token: string, options: ClaimOptions, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  while (!(await acquireClaim(redis, key, token, options.ttlMs))) {
    if (Date.now() >= deadline) throw new ClaimBusyError(key);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
  try {
    return await work();
  } finally {
    await releaseClaim(redis, key, token);
  }
}

/** One publishing run per issue at a time, whatever event each run investigated. */
export function publishClaimKey(prefix: string, issueId: string): string {
  return `${prefix}:investigation:publishing:${issueId}`;
}
