import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { alerts, connectDatabase, issueStates, type DatabaseHandle } from '@triage/db';
import { findFreePort } from '@triage/embedded';
import { pollIssues, processAlert } from '@triage/contracts';
import { Producer, createProducerConnection } from '@triage/queue';
import {
  createGlitchTipFake,
  createTestDatabase,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type GlitchTipFake,
  type StartedProcess,
  type TestDatabase,
  glitchtipContractDir,
} from '@triage/testing';

const apiToken = 'a1b2c3d4'.repeat(8);
const webhookToken = 'e2e-webhook-token-0123456789';
const contractDir = glitchtipContractDir;

/**
 * The whole alert path with real processes: GlitchTip (fake) -> ingress -> Redis -> worker -> GlitchTip API (fake)
 * -> Postgres; and the catch-up poller finding what the webhook lost, and regressions.
 */
describe('alert pipeline, end to end', () => {
  const prefix = uniquePrefix('e2e');
  let glitchtip: GlitchTipFake;
  let database: TestDatabase;
  let db: DatabaseHandle;
  let ingress: StartedProcess;
  let worker: StartedProcess;
  let ingressUrl: string;
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });

  const alertRow = (issueId: string) => db.db.select().from(alerts).where(eq(alerts.issueId, issueId)).then((rows) => rows[0]);

  const runPoll = async () => {
    const job = await producer.enqueue(pollIssues, { lookbackMinutes: 60 }, { jobId: `poll-${Date.now()}-${Math.random()}` });
    const queue = new Queue(pollIssues.name, { connection, prefix });
    await waitFor(async () => ['completed', 'failed'].includes(await queue.getJobState(job.id!)), { what: 'the poll to finish' });
    const state = await queue.getJobState(job.id!);
    await queue.close();
    expect(state).toBe('completed');
  };

  /**
   * "Nothing more happened" needs a positive marker, not a sleep: every process-alert job queued so far has left the
   * queue (none waiting, delayed or running), so whatever it was going to record is recorded.
   */
  const processAlertDrained = async () => {
    const queue = new Queue(processAlert.name, { connection, prefix });
    try {
      await waitFor(async () => {
        const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
        return Object.values(counts).every((count) => count === 0) || undefined;
      }, { what: 'every process-alert job to finish' });
    } finally {
      await queue.close();
    }
  };

  beforeAll(async () => {
    glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'], org: 'acme' });
    await glitchtip.start();
    database = await createTestDatabase();
    db = connectDatabase(database.url);
    const port = await findFreePort();
    ingressUrl = `http://127.0.0.1:${port}`;
    const env = {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      GLITCHTIP_ORG: 'acme',
      WEBHOOK_TOKEN: webhookToken,
      PORT: String(port),
      TELEGRAM_BOT_TOKEN: '',
    };
    // History that exists before Triage starts: the poller's first run (at worker start) must not alert it.
    glitchtip.seedIssue({ id: 3001, title: 'old history issue', firstSeen: new Date(Date.now() - 3_600_000), lastSeen: new Date() });
    // GlitchTip alerts only by a project's alert rules (the poller follows them): one event in a minute pages.
    glitchtip.seedProjectAlert('backend', { quantity: 1, timespanMinutes: 1 });
    worker = startTsProcess('apps/worker/src/main.ts', [], env);
    ingress = startTsProcess('apps/ingress/src/main.ts', [], env);
    await Promise.all([worker.waitForOutput('worker started'), ingress.waitForOutput('ingress listening')]);
    // The scheduler runs the first poll as soon as the worker starts.
    await worker.waitForOutput('poller baseline recorded');
  });

  afterAll(async () => {
    ingress?.kill('SIGTERM');
    worker?.kill('SIGTERM');
    await Promise.all([ingress?.exited, worker?.exited]);
    await producer.close();
    connection.disconnect();
    await db?.close();
    await database?.drop();
    await glitchtip?.stop();
  });

  it('turns a webhook into an enriched alert recorded in Postgres', async () => {
    glitchtip.seedIssue({
      id: 2210,
      project: { slug: 'web-frontend', name: 'Web Frontend' },
      title: "TypeError: Cannot read properties of undefined (reading 'map')",
      culprit: 'renderOrders(/static/js/orders.js)',
      level: 'error',
      count: 57,
      tags: { environment: 'production', component: 'checkout' },
    });
    glitchtip.seedEvent(2210, {
      tags: { environment: 'production', release: 'web@5.0.2', component: 'checkout' },
      exceptions: [
        {
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'map')",
          frames: [
            { filename: 'node_modules/react-dom/index.js', function: 'commitRoot', lineno: 10, in_app: false },
            { filename: 'src/orders/render.ts', function: 'renderOrders', lineno: 42, in_app: true },
          ],
        },
      ],
    });
    const body = fs.readFileSync(path.join(contractDir, 'webhook_issue_alert_generic_single.json'), 'utf8');
    const response = await fetch(`${ingressUrl}/api/glitchtip-webhook?token=${webhookToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(202);

    const row = await waitFor(async () => {
      const found = await alertRow('2210');
      return found?.snapshot && (found.snapshot as { enriched?: boolean }).enriched ? found : undefined;
    }, { what: 'the enriched alert row', timeoutMs: 30_000 });
    expect(row).toMatchObject({ source: 'webhook', level: 'error', component: 'checkout', environment: 'production', release: 'web@5.0.2', eventCount: 57 });
    expect(row.snapshot).toMatchObject({ shortId: expect.stringMatching(/^WEB-FRONTEND-/), count: 57, regression: false });
    const stack = (row.snapshot as { stackTrace: string }).stackTrace;
    expect(stack.split('\n')[1]).toBe('→ at renderOrders (src/orders/render.ts:42)');
    // The API was asked, with the token, for exactly this issue and its latest event.
    const paths = glitchtip.requests.map((request) => `${request.method} ${request.path}`);
    expect(paths).toEqual(expect.arrayContaining(['GET /api/0/issues/2210/', 'GET /api/0/issues/2210/events/latest/']));

    // The same body again inside the dedup window adds nothing and does not count a second alert.
    const again = await fetch(`${ingressUrl}/api/glitchtip-webhook?token=${webhookToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(again.status).toBe(202);
    await processAlertDrained();
    expect((await alertRow('2210'))?.alertCount).toBe(1);
  });

  it('recovers a lost webhook with the poller, after a silent first baseline', async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    expect(await alertRow('3001')).toBeUndefined();

    glitchtip.seedIssue({ id: 3002, title: 'KeyError: customer_id', level: 'error', firstSeen: tenMinutesAgo, lastSeen: new Date() });
    glitchtip.seedIssue({ id: 3003, title: 'too fresh: the webhook may still come', firstSeen: new Date(), lastSeen: new Date() });
    await runPoll();
    const lost = await waitFor(() => alertRow('3002'), { what: 'the recovered alert' });
    expect(lost).toMatchObject({ source: 'poller', title: 'KeyError: customer_id', state: 'open' });
    expect(await alertRow('3001')).toBeUndefined();
    expect(await alertRow('3003')).toBeUndefined();

    // Polling again changes nothing for an issue already alerted.
    await runPoll();
    await processAlertDrained();
    expect((await alertRow('3002'))?.alertCount).toBe(1);
  });

  it('detects a regression once', async () => {
    // Its own issue, alerted through the poller here: this test does not lean on the one before it.
    glitchtip.seedIssue({ id: 3004, title: 'ValueError: bad quantity', level: 'error', firstSeen: new Date(Date.now() - 10 * 60_000), lastSeen: new Date() });
    await runPoll();
    await waitFor(() => alertRow('3004'), { what: 'issue 3004 alerted' });
    // Resolved in GlitchTip's own UI, not through Triage: the poller's status refresh must notice.
    glitchtip.issue(3004)!.status = 'resolved';
    await runPoll();
    await waitFor(async () => {
      const [state] = await db.db.select().from(issueStates).where(eq(issueStates.issueId, '3004'));
      return state?.status === 'resolved' || undefined;
    }, { what: 'the resolve to be recorded' });
    expect(await alertRow('3004')).toMatchObject({ state: 'resolved', statusBy: 'GlitchTip' });

    glitchtip.recordNewEvent(3004);
    expect(glitchtip.issue(3004)!.status).toBe('unresolved');

    await runPoll();
    const regressed = await waitFor(async () => {
      const row = await alertRow('3004');
      return row && row.alertCount === 2 ? row : undefined;
    }, { what: 'the regression alert' });
    expect(regressed.snapshot).toMatchObject({ regression: true });
    await runPoll();
    await runPoll();
    await processAlertDrained();
    expect((await alertRow('3004'))?.alertCount).toBe(2);
  });
});
