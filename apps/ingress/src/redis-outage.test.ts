import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findFreePort, startPrivateRedis, type RunningService } from '@triage/embedded';
import { waitFor } from '@triage/testing';
import { readExample, startIngress, type IngressHarness } from './fixtures/ingress-harness';

describe('POST /api/glitchtip-webhook while Redis is down', () => {
  let dir: string;
  let port: number;
  let redis: RunningService;
  let harness: IngressHarness;
  const startRedis = () => startPrivateRedis({ dir, port, persistent: false });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-ingress-outage-'));
    port = await findFreePort();
    redis = await startRedis();
    harness = await startIngress({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await harness.close();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 within 1 s, and takes the same body once Redis is back', async () => {
    const body = readExample('webhook_issue_alert_generic.json');
    const webhook = `/api/glitchtip-webhook?token=${harness.token}`;

    await redis.stop();
    await waitFor(() => harness.redis.status !== 'ready', { what: 'the producer to notice Redis is gone' });

    const started = performance.now();
    const refused = await harness.post(webhook, body);
    const elapsedMs = performance.now() - started;
    expect(refused).toEqual({ status: 503, body: { error: 'alert could not be queued: Redis is unavailable' } });
    expect(elapsedMs).toBeLessThan(1_000);

    const readiness = await fetch(`${harness.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ redis: 'down', down: ['redis'] });

    redis = await startRedis();
    await waitFor(() => harness.redis.status === 'ready', { what: 'the producer to reconnect' });

    const accepted = await harness.post(webhook, body);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ enqueued: 3, duplicates: 0 });
    expect(await harness.alerts.getJobCountByTypes('prioritized', 'waiting')).toBe(3);
  });
});
