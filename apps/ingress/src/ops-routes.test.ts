import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { findFreePort } from '@triage/embedded';
import { createTestDatabase, type TestDatabase } from '@triage/testing';
import { contractDir, readExample, startIngress, type IngressHarness } from './fixtures/ingress-harness';
import { glitchtipBreakerKey } from '@triage/queue';
import { execa } from 'execa';
import { repoRoot } from '@triage/testing';

describe('health, readiness and metrics', () => {
  let database: TestDatabase;
  let db: DatabaseHandle;
  let harness: IngressHarness;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    db = connectDatabase(database.url, { max: 1 });
    harness = await startIngress({ db });
  });
  afterAll(async () => {
    await harness.close();
    await db.close();
    await database.drop();
  });

  it('GET /healthz answers ok', async () => {
    const response = await fetch(`${harness.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports Redis and Postgres up, then the GlitchTip breaker a worker wrote', async () => {
    const ready = await fetch(`${harness.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', redis: 'up', postgres: 'up' });

    await harness.redis.set(glitchtipBreakerKey(harness.prefix), 'open');
    const degraded = await fetch(`${harness.url}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({ status: 'degraded', redis: 'up', postgres: 'up', glitchtipBreaker: 'open' });

    await harness.redis.set(glitchtipBreakerKey(harness.prefix), JSON.stringify({ state: 'closed', failures: 0 }));
    const closed = await fetch(`${harness.url}/readyz`);
    expect(await closed.json()).toEqual({ status: 'ok', redis: 'up', postgres: 'up', glitchtipBreaker: 'closed' });
    await harness.redis.del(glitchtipBreakerKey(harness.prefix));
  });

  it('GET /metrics counts requests by route and status (never the token) and reports queue depths', async () => {
    const accepted = await harness.post(`/api/glitchtip-webhook/${harness.token}`, readExample('webhook_issue_alert_generic.json'));
    expect(accepted.status).toBe(202);
    await harness.post('/api/glitchtip-webhook?token=wrong', '{}');

    const response = await fetch(`${harness.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('triage_ingress_http_requests_total{route="/api/glitchtip-webhook",status="202"} 1');
    expect(text).toContain('triage_ingress_http_requests_total{route="/api/glitchtip-webhook",status="401"} 1');
    expect(text).toContain('triage_ingress_alert_jobs_total{result="enqueued"} 3');
    expect(text).toMatch(/triage_ingress_enqueue_duration_seconds_count\{outcome="accepted"\} 1/);
    expect(text).toContain('triage_queue_jobs{queue="process-alert",state="waiting"} 3');
    expect(text).toContain('triage_queue_jobs{queue="send-alert",state="waiting"} 0');
    expect(text).not.toContain(harness.token);
  });

  it('`triage health` reports /healthz and /readyz and exits 0 when ready', async () => {
    const result = await execa('node', ['bin/triage.js', 'health', '--url', harness.url], { cwd: repoRoot, env: { NODE_OPTIONS: '' }, reject: false });
    expect(result.exitCode).toBe(0);
    // The ingress's two lines come first; the rest (jobs, queues, reachability) is covered in apps/cli health.test.ts.
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      '/healthz  200  {"status":"ok"}',
      '/readyz  200  {"status":"ok","redis":"up","postgres":"up"}',
    ]);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('healthy');
    const unreachable = await execa('node', ['bin/triage.js', 'health', '--url', 'http://127.0.0.1:9'], { cwd: repoRoot, env: { NODE_OPTIONS: '' }, reject: false });
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stdout).toMatch(/^\/healthz {2}unreachable/);
  });

  it('`triage replay <payload.json>` feeds a saved body through the same endpoint', async () => {
    const file = path.join(contractDir, 'webhook_uptime_down_discord.json');
    const replay = (token: string) =>
      execa('node', ['bin/triage.js', 'replay', file, '--url', `${harness.url}/`], {
        cwd: repoRoot,
        env: { WEBHOOK_TOKEN: token, NODE_OPTIONS: '' },
        reject: false,
      });
    const first = await replay(harness.token);
    expect(first.exitCode).toBe(0);
    const firstBody = JSON.parse(first.stdout.replace(/^202 /, '')) as { jobs: string[] };
    expect(firstBody).toEqual({ enqueued: 1, duplicates: 0, jobs: [expect.stringMatching(/^uptime-7-down-/)] });
    const again = await replay(harness.token);
    expect(again.stdout).toBe(`202 ${JSON.stringify({ enqueued: 1, duplicates: 0, jobs: firstBody.jobs })}`);
    const refused = await replay('not-the-token-but-long-enough');
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toBe('401 {"error":"missing or wrong webhook token"}');
  });
});

describe('GET /readyz when Postgres is unreachable', () => {
  it('answers 503 naming Postgres', async () => {
    const closedPort = await findFreePort();
    const db = connectDatabase(`postgres://triage:x@127.0.0.1:${closedPort}/triage`, { max: 1 });
    const harness = await startIngress({ db });
    try {
      const response = await fetch(`${harness.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', redis: 'up', postgres: 'down', down: ['postgres'] });
    } finally {
      await harness.close();
      await db.close();
    }
  });
});
