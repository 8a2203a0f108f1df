import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { processAlert } from '@triage/contracts';
import { alerts, connectDatabase, type DatabaseHandle } from '@triage/db';
import { createProducerConnection, Producer } from '@triage/queue';
import {
  clearPrefix,
  createGlitchTipFake,
  createTestDatabase,
  glitchtipContractDir,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type GlitchTipFake,
  type TestDatabase,
} from '@triage/testing';
import { parseGlitchTipWebhook } from '@triage/webhook';

const apiToken = '5157a1b2'.repeat(8);

/** Issue 10: "SIGINT to the real worker with a job in flight: the job finishes, nothing is lost". */
describe('SIGINT to the worker process while a job runs', () => {
  const prefix = uniquePrefix('sigint');
  let glitchtip: GlitchTipFake;
  let database: TestDatabase;
  let db: DatabaseHandle;
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });

  beforeAll(async () => {
    glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'], org: 'acme' });
    await glitchtip.start();
    database = await createTestDatabase();
    db = connectDatabase(database.url);
  });
  afterAll(async () => {
    await producer.close();
    connection.disconnect();
    await db.close();
    await database.drop();
    await glitchtip.stop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('lets the in-flight job finish and record its alert, then exits 0', async () => {
    glitchtip.seedIssue({ id: 2210, project: { slug: 'web-frontend', name: 'Web Frontend' }, count: 3 });
    const worker = startTsProcess('apps/worker/src/main.ts', [], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      GLITCHTIP_ORG: 'acme',
      WORKER_QUEUES: 'process-alert',
      TELEGRAM_BOT_TOKEN: '',
      SHUTDOWN_TIMEOUT_MS: '30000',
    });
    try {
      await worker.waitForOutput('worker started');
      // Every GlitchTip answer now takes 3 s: the job is surely running when the signal comes.
      glitchtip.inject.slow(3_000);
      const body = JSON.parse(fs.readFileSync(path.join(glitchtipContractDir, 'webhook_issue_alert_generic_single.json'), 'utf8')) as unknown;
      const parsed = parseGlitchTipWebhook(body);
      if (!parsed.ok) throw new Error(parsed.reason);
      const signal = parsed.signals[0]!;
      if (signal.kind !== 'issue') throw new Error('expected an issue alert');
      const job = await producer.enqueue(processAlert, { ...signal, source: 'webhook', receivedAt: new Date().toISOString(), regression: false });
      await waitFor(() => glitchtip.requests.some((request) => request.path === '/api/0/issues/2210/' && request.status === undefined), {
        what: 'process-alert to be waiting on GlitchTip',
        timeoutMs: 20_000,
      });

      worker.kill('SIGINT');

      expect(await worker.exited).toBe(0);
      expect(worker.output()).toContain('"msg":"stopped"');
      const queue = new Queue(processAlert.name, { connection, prefix });
      try {
        // Completed jobs may be removed at once (removeOnComplete): gone or completed, never waiting, failed or stalled.
        expect(['completed', 'unknown']).toContain(await queue.getJobState(job.id!));
        expect(await queue.getJobCounts('waiting', 'active', 'failed', 'delayed')).toEqual({ waiting: 0, active: 0, failed: 0, delayed: 0 });
      } finally {
        await queue.close();
      }
      const [row] = await db.db.select().from(alerts).where(eq(alerts.issueId, '2210'));
      expect(row).toMatchObject({ issueId: '2210', source: 'webhook' });
    } finally {
      worker.kill('SIGKILL');
      await worker.exited;
    }
  }, 90_000);
});
