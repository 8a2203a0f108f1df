import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createLogger } from '@triage/logger';
import { clearPrefix, createGlitchTipFake, testRedisUrl, uniquePrefix } from '@triage/testing';
import { GlitchTipClient } from './client';
import { SharedRateLimiter, type SharedRateLimits } from './shared-rate-limiter';

const token = 'c0ffee00'.repeat(8);
const fake = createGlitchTipFake({ token, scopes: ['event:read'], org: 'acme' });
const logger = createLogger({ name: 'shared-rate-test', level: 'silent' });

/** Two processes' clients: each its own Redis connection and limiter object, one prefix (one Redis). */
function twoClients(prefix: string, limits: Partial<SharedRateLimits>): { clients: GlitchTipClient[]; close: () => void } {
  const connections = [new Redis(testRedisUrl()), new Redis(testRedisUrl())];
  const clients = connections.map(
    (redis) => new GlitchTipClient({ baseUrl: fake.url, token, org: 'acme', logger, retries: 0, limiter: new SharedRateLimiter({ redis, prefix, limits }) }),
  );
  return { clients, close: () => connections.forEach((redis) => redis.disconnect()) };
}

/**
 * Budgets are taken in Redis a network hop before GlitchTip sees the request, and the first request of a connection
 * takes longer (connect): the fake's clock may see two requests up to this much closer together than their tokens.
 */
const hopMs = 50;

/** One request per client first, so that no measured request pays for opening a connection. */
async function warmUp(clients: GlitchTipClient[]): Promise<number> {
  for (const client of clients) await client.getIssue(7001);
  return fake.requests.length;
}

/** The most requests GlitchTip saw start within any `windowMs`. */
function busiestWindow(windowMs: number, after = 0): number {
  const starts = fake.requests.slice(after).map((request) => request.receivedAt).sort((a, b) => a - b);
  return Math.max(...starts.map((start, index) => starts.slice(index).filter((at) => at < start + windowMs).length));
}

describe('SharedRateLimiter: GlitchTip\'s budget shared through Redis (issue 10 item 16)', () => {
  let prefix: string;
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(async () => {
    fake.reset();
    if (prefix) await clearPrefix(testRedisUrl(), prefix);
    prefix = uniquePrefix('gt-rate');
    fake.seedIssue({ id: 7001 });
  });

  it('two clients together keep to the concurrency and the per-second rate', async () => {
    fake.inject.slow(60);
    const { clients, close } = twoClients(prefix, { perSecond: 4, concurrency: 2 });
    let warm = 0;
    try {
      warm = await warmUp(clients);
      await Promise.all(clients.flatMap((client) => Array.from({ length: 5 }, () => client.getIssue(7001))));
    } finally {
      close();
    }
    expect(fake.requests).toHaveLength(warm + 10);
    expect(fake.maxInFlight).toBeLessThanOrEqual(2);
    expect(busiestWindow(1_000 - hopMs, warm)).toBeLessThanOrEqual(4);
  });

  it('two clients together keep to the per-minute ceiling', async () => {
    const { clients, close } = twoClients(prefix, { perSecond: 100, perMinute: 4, minuteMs: 1_500 });
    try {
      await Promise.all(clients.flatMap((client) => Array.from({ length: 3 }, () => client.getIssue(7001))));
    } finally {
      close();
    }
    expect(fake.requests).toHaveLength(6);
    expect(busiestWindow(1_500 - hopMs)).toBeLessThanOrEqual(4);
  });

  it('frees the slot when the request fails', async () => {
    fake.inject.failNext(1, 404);
    const { clients, close } = twoClients(prefix, { concurrency: 1 });
    try {
      await expect(clients[0]!.getIssue(99_999)).rejects.toThrow();
      await expect(clients[1]!.getIssue(7001)).resolves.toMatchObject({ id: '7001' });
    } finally {
      close();
    }
  });
});
