import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findFreePort } from '@triage/embedded';
import { clearPrefix, createTestDatabase, startTsProcess, testRedisUrl, uniquePrefix, type TestDatabase } from '@triage/testing';
import { readExample } from './fixtures/ingress-harness';

const entry = 'apps/ingress/src/main.ts';

describe('apps/ingress/src/main.ts', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await database.drop();
  });

  it('serves webhooks, never logs the token, and stops cleanly on SIGTERM', async () => {
    const port = await findFreePort();
    const prefix = uniquePrefix('ingress-main');
    const token = crypto.randomBytes(18).toString('base64url');
    const ingress = startTsProcess(entry, [], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      WEBHOOK_TOKEN: token,
      PORT: String(port),
      QUEUE_PREFIX: prefix,
    });
    try {
      await ingress.waitForOutput('ingress listening');
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ok', redis: 'up', postgres: 'up' });
      const response = await fetch(`http://127.0.0.1:${port}/api/glitchtip-webhook/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: readExample('webhook_issue_alert_generic_single.json'),
      });
      expect(response.status).toBe(202);
      await ingress.waitForOutput('webhook accepted');

      ingress.kill('SIGTERM');
      expect(await ingress.exited).toBe(0);
      expect(ingress.output()).toContain('"issueIds":["2210"]');
      expect(ingress.output()).not.toContain(token);
    } finally {
      ingress.kill('SIGKILL');
      await clearPrefix(testRedisUrl(), prefix);
    }
  });

  it('exits 1 naming what is missing', async () => {
    const ingress = startTsProcess(entry, [], { REDIS_URL: testRedisUrl(), DATABASE_URL: database.url, WEBHOOK_TOKEN: '' });
    expect(await ingress.exited).toBe(1);
    expect(ingress.output()).toContain('WEBHOOK_TOKEN: is required here');
  });

  it('exits 1 listing invalid configuration', async () => {
    const ingress = startTsProcess(entry, [], { REDIS_URL: 'localhost:6379', PORT: 'eighty' });
    expect(await ingress.exited).toBe(1);
    expect(ingress.output()).toContain('Invalid configuration:');
    expect(ingress.output()).toContain('REDIS_URL: must be a URL (redis: or rediss:)');
    expect(ingress.output()).toContain('PORT: must be a number');
  });
});
