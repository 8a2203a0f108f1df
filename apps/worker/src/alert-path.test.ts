/**
 * The alert path through the worker's real wiring (apps/worker's Telegram and GlitchTip clients, every handler of the
 * build) against the strict fakes: the emergency switch, and an alert that goes out when GlitchTip keeps failing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue, UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';
import { loadConfig } from '@triage/config';
import { alerts, connectDatabase, issueStates, type DatabaseHandle } from '@triage/db';
import { pollIssues, processAlert, queueNames, reconcileDelivery, undeliveredAlertsKey, type ProcessAlertPayload } from '@triage/contracts';
import { allHandlers, type WorkerDeps } from '@triage/jobs/handlers';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection, createWorkerConnection } from '@triage/queue';
import {
  clearPrefix,
  createGlitchTipFake,
  createTelegramFake,
  createTestDatabase,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type GlitchTipFake,
  type TelegramFake,
  type TestDatabase,
} from '@triage/testing';
import { WorkerManager } from '@triage/worker-runtime';
import { createGlitchTipClient } from './glitchtip-wiring';
import { createTelegramWiring } from './telegram-wiring';

const apiToken = 'e'.repeat(64);
const botToken = '424242:TEST-alert-path-token';
const chatId = -1001000004242;

function webhookSignal(issueId: string, title: string): ProcessAlertPayload {
  return {
    kind: 'issue',
    issueId,
    title,
    culprit: 'app/checkout.ts in submit',
    url: `http://glitchtip.test/acme/issues/${issueId}`,
    orgSlug: 'acme',
    levelHint: 'error',
    project: 'backend',
    environment: 'production',
    release: '1.0.0',
    serverName: null,
    shortId: null,
    extraTags: {},
    source: 'webhook',
    receivedAt: new Date().toISOString(),
    regression: false,
  };
}

interface RunningWorker {
  deps: WorkerDeps;
  close(): Promise<void>;
}

/** The worker as apps/worker/src/main.ts builds it, consuming process-alert and send-alert. */
async function startWorker(env: Record<string, string>, database: DatabaseHandle, producer: Producer, queues = [processAlert.name, 'send-alert']): Promise<RunningWorker> {
  const config = loadConfig(env);
  const logger = createLogger({ name: 'alert-path-test', level: 'fatal', pretty: false });
  const redis = createWorkerConnection(testRedisUrl());
  const deps: WorkerDeps = {
    config,
    db: database.db,
    redis,
    producer,
    glitchtip: await createGlitchTipClient(config, logger, redis),
    ...createTelegramWiring(config, logger, redis),
    handledQueues: new Set(allHandlers.map((handler) => handler.contract.name)),
  };
  const manager = new WorkerManager<WorkerDeps>({ redisUrl: testRedisUrl(), prefix: config.queuePrefix, logger, deps, defaultConcurrency: 2 });
  await manager.start(allHandlers, queues, queueNames);
  return {
    deps,
    close: async () => {
      await manager.close(10_000);
      redis.disconnect();
    },
  };
}

describe('the alert path through the real worker wiring', () => {
  const prefix = uniquePrefix('apath');
  let testDatabase: TestDatabase;
  let database: DatabaseHandle;
  let glitchtip: GlitchTipFake;
  let telegram: TelegramFake;
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix, timeoutMs: 5_000 });
  const processQueue = new Queue(processAlert.name, { connection, prefix });

  const env = (overrides: Record<string, string> = {}) => ({
    QUEUE_PREFIX: prefix,
    GLITCHTIP_BASE_URL: glitchtip.url,
    GLITCHTIP_API_TOKEN: apiToken,
    TELEGRAM_BOT_TOKEN: botToken,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_CHAT_ID: String(chatId),
    DISABLE_INVESTIGATION_HELPER: 'true',
    DISABLE_RUNBOOK_LINKER: 'true',
    ...overrides,
  });

  const alertRow = async (issueId: string) => (await database.db.select().from(alerts).where(eq(alerts.issueId, issueId)))[0];
  const processAlertIdle = async () => {
    const counts = await processQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).every((count) => count === 0);
  };

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = connectDatabase(testDatabase.url);
    glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read'] });
    telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
    await glitchtip.start();
    await telegram.start();
  });

  afterAll(async () => {
    await processQueue.close();
    await producer.close();
    connection.disconnect();
    await telegram.stop();
    await glitchtip.stop();
    await database.close();
    await testDatabase.drop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('GLITCHTIP_INTEGRATION_ENABLED=false: a webhook is recorded and nothing is written to GlitchTip or Telegram; switched back on, nothing bursts (issue 10 #17)', async () => {
    glitchtip.seedIssue({ id: 5151, title: 'Error: switched off 5151' });
    const glitchtipBefore = glitchtip.requests.length;
    const telegramBefore = telegram.calls.length;
    const messagesBefore = telegram.messagesIn(chatId).length;
    const off = await startWorker(env({ GLITCHTIP_INTEGRATION_ENABLED: 'false' }), database, producer);
    try {
      await producer.enqueue(processAlert, webhookSignal('5151', 'Error: switched off 5151'));
      const row = await waitFor(async () => (await alertRow('5151'))?.suppressedAt && (await alertRow('5151')), { what: 'the alert recorded as suppressed' });
      expect(row).toMatchObject({ lastTransition: 'new', title: 'Error: switched off 5151' });
      await waitFor(processAlertIdle, { what: 'process-alert to finish' });
      // The floor under the handlers: the worker's clients refuse writes themselves, unrecoverably, with nothing sent.
      await expect(off.deps.telegram!.sendMessage({ chat_id: chatId, text: 'must not be sent' })).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(off.deps.glitchtip!.updateIssueStatus('5151', 'resolved')).rejects.toMatchObject({ name: 'UnrecoverableError' });
      expect(telegram.calls.slice(telegramBefore)).toEqual([]);
      expect(glitchtip.requests.slice(glitchtipBefore)).toEqual([]);
    } finally {
      await off.close();
    }

    // Long after: the reconciler sees a recorded alert with no message, but one recorded while off is never re-driven.
    await database.db.update(alerts).set({ transitionAt: new Date(Date.now() - 30 * 60_000) }).where(eq(alerts.issueId, '5151'));
    const on = await startWorker(env(), database, producer, [processAlert.name, 'send-alert', reconcileDelivery.name]);
    try {
      await producer.enqueue(reconcileDelivery, {}, { jobId: 'reconcile-after-switch' });
      expect(await waitFor(async () => (await on.deps.redis.get(undeliveredAlertsKey(prefix))) ?? undefined, { what: 'the reconciler to count' })).toBe('0');
      // A positive marker: a new alert after the switch goes out, and is the only message.
      glitchtip.seedIssue({ id: 5152, title: 'Error: switched on 5152' });
      await producer.enqueue(processAlert, webhookSignal('5152', 'Error: switched on 5152'));
      const [message] = await waitFor(() => telegram.messagesIn(chatId).length > messagesBefore && telegram.messagesIn(chatId).slice(messagesBefore), {
        what: 'the alert after the switch',
        timeoutMs: 30_000,
      });
      expect(message!.text).toContain('switched on 5152');
      await waitFor(processAlertIdle, { what: 'process-alert to finish' });
      expect(telegram.messagesIn(chatId).map((sent) => sent.text ?? '').filter((text) => text.includes('5151'))).toEqual([]);
      expect(telegram.messagesIn(chatId).slice(messagesBefore)).toHaveLength(1);
    } finally {
      await on.close();
    }
  }, 90_000);

  it('GlitchTip failing through both enrichment attempts: the alert still goes out with the webhook data', async () => {
    glitchtip.seedIssue({ id: 6161, title: 'Error: the API title 6161' });
    glitchtip.inject.failNext(200, 502);
    const worker = await startWorker(env(), database, producer);
    try {
      const before = telegram.messagesIn(chatId).length;
      await producer.enqueue(processAlert, webhookSignal('6161', 'Error: the webhook title 6161'));
      const message = await waitFor(() => telegram.messagesIn(chatId).slice(before).find((sent) => (sent.text ?? '').includes('6161')), {
        what: 'the alert from the webhook data',
        timeoutMs: 60_000,
      });
      expect(message.text).toContain('the webhook title 6161');
      expect(message.text).not.toContain('the API title');
      const failedReads = glitchtip.requests.filter((request) => request.path === '/api/0/issues/6161/' && request.injected === 'failure');
      expect(failedReads.length).toBeGreaterThanOrEqual(2);
      expect((await alertRow('6161'))?.snapshot).toMatchObject({ enriched: false, transition: 'new' });
    } finally {
      glitchtip.reset();
      await worker.close();
    }
  }, 90_000);

  it('an issue past 2^31 events is polled, recorded and alerted (issue 10 #15)', async () => {
    // GlitchTip sends the count as a string: "3000000000".
    glitchtip.seedIssue({ id: 7171, title: 'Error: very busy 7171', count: 3_000_000_000, firstSeen: new Date(Date.now() - 3_600_000) });
    const worker = await startWorker(env(), database, producer, [processAlert.name, 'send-alert', pollIssues.name]);
    try {
      await producer.enqueue(pollIssues, { lookbackMinutes: 15 });
      const known = await waitFor(async () => (await database.db.select().from(issueStates).where(eq(issueStates.issueId, '7171')))[0], {
        what: 'the poller to record the issue',
        timeoutMs: 30_000,
      });
      expect(known.eventCount).toBe(3_000_000_000);
      const before = telegram.messagesIn(chatId).length;
      await producer.enqueue(processAlert, webhookSignal('7171', 'Error: very busy 7171'));
      await waitFor(() => telegram.messagesIn(chatId).slice(before).find((sent) => (sent.text ?? '').includes('7171')), { what: 'the alert', timeoutMs: 30_000 });
      expect(await alertRow('7171')).toMatchObject({ eventCount: 3_000_000_000, snapshot: expect.objectContaining({ count: 3_000_000_000 }) });
    } finally {
      await worker.close();
    }
  }, 90_000);
});
