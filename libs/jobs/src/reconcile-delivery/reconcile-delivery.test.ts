import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { buildAlertSnapshot, recordAlertSignal, recordMute, recordUnmute } from '@triage/alerts';
import { loadConfig } from '@triage/config';
import { alertMessages, alerts, connectDatabase, type DatabaseHandle } from '@triage/db';
import { opsAlert, reconcileDelivery, sendAlert, undeliveredAlertsKey, type ProcessAlertPayload } from '@triage/contracts';
import { createLogger } from '@triage/logger';
import { Producer, appKey, createProducerConnection, createWorkerConnection } from '@triage/queue';
import { ChatPacer, TelegramBotApi } from '@triage/telegram';
import { clearPrefix, createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@triage/testing';
import type { HandlerContext } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { reconcileDeliveryHandler } from './reconcile-delivery.handler';

const chatId = '-1001000007777';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

function signal(issueId: string): ProcessAlertPayload {
  return {
    kind: 'issue',
    issueId,
    title: `Error: ${issueId}`,
    culprit: null,
    url: `http://glitchtip.test/acme/issues/${issueId}`,
    orgSlug: 'acme',
    levelHint: 'error',
    project: 'backend',
    environment: null,
    release: null,
    serverName: null,
    shortId: null,
    extraTags: {},
    source: 'webhook',
    receivedAt: new Date().toISOString(),
    regression: false,
  };
}

describe('reconcile-delivery', () => {
  const prefix = uniquePrefix('rd');
  let testDatabase: TestDatabase;
  let database: DatabaseHandle;
  const connection = createProducerConnection(testRedisUrl());
  const redis = createWorkerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix, timeoutMs: 5_000 });
  const sendQueue = new Queue(sendAlert.name, { connection, prefix });
  const opsQueue = new Queue(opsAlert.name, { connection, prefix });
  let context: HandlerContext<WorkerDeps>;

  const run = () => reconcileDeliveryHandler.handle(reconcileDelivery.schema.parse({}), context) as Promise<Record<string, unknown>>;
  const record = async (issueId: string, options: { suppressed?: boolean; regressionSeen?: boolean } = {}) => {
    await recordAlertSignal(database.db, {
      snapshot: buildAlertSnapshot(signal(issueId), null, 'component'),
      source: 'webhook',
      receivedAt: new Date(),
      signalKey: `test-${issueId}-${Math.random()}`,
      regressionSeen: options.regressionSeen ?? false,
      suppressed: options.suppressed ?? false,
      dedupWindowMs: 0,
    });
  };
  const age = (issueId: string, fields: Partial<typeof alerts.$inferInsert>) => database.db.update(alerts).set(fields).where(eq(alerts.issueId, issueId));
  const sendReasons = async () => (await sendQueue.getJobs(['waiting'])).map((job) => `${(job.data as { issueId: string }).issueId}:${(job.data as { reason: string }).reason}`).sort();

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = connectDatabase(testDatabase.url);
    const config = loadConfig({ QUEUE_PREFIX: prefix, TELEGRAM_CHAT_ID: chatId, TELEGRAM_BOT_TOKEN: '777:TEST-reconcile', TELEGRAM_API_ROOT: 'http://127.0.0.1:9' });
    const logger = createLogger({ name: 'reconcile-test', level: 'fatal', pretty: false });
    const deps: WorkerDeps = {
      config,
      db: database.db,
      redis,
      producer,
      glitchtip: undefined,
      // Never called: the reconciler only enqueues sends.
      telegram: new TelegramBotApi({ apiRoot: 'http://127.0.0.1:9', token: '777:TEST-reconcile', logger }),
      pacer: new ChatPacer({ redis, prefix }),
      routes: [],
      handledQueues: new Set([sendAlert.name]),
    };
    context = { deps, log: logger } as unknown as HandlerContext<WorkerDeps>;
  });

  // Each test starts from no alerts, no queued sends and no ops-alert throttle: none depends on another's leftovers.
  beforeEach(async () => {
    await database.db.delete(alertMessages);
    await database.db.delete(alerts);
    await sendQueue.obliterate({ force: true });
    await opsQueue.obliterate({ force: true });
    await redis.del(appKey(prefix, 'delivery', 'undelivered-ops-alert'), undeliveredAlertsKey(prefix));
  });

  afterAll(async () => {
    await sendQueue.close();
    await opsQueue.close();
    await producer.close();
    connection.disconnect();
    redis.disconnect();
    await database.close();
    await testDatabase.drop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('re-drives an alert never delivered, once; leaves delivered, recent and switched-off ones; then one ops alert an hour (issue 10 #9)', async () => {
    await record('101'); // never delivered
    await record('102'); // delivered
    await database.db.insert(alertMessages).values({ issueId: '102', chatId, status: 'sent', messageId: 5 });
    await record('103', { suppressed: true }); // recorded while GLITCHTIP_INTEGRATION_ENABLED=false
    await record('104'); // too recent: its own send-alert still has time
    await record('105'); // a regression whose new message never went out; the first one did
    await database.db.insert(alertMessages).values({ issueId: '105', chatId, status: 'sent', messageId: 6, createdAt: minutesAgo(60) });
    for (const issueId of ['101', '102', '103', '105']) await age(issueId, { transitionAt: minutesAgo(15) });
    await age('105', { notifyingTransition: 'regression', lastTransition: 'regression' });

    expect(await run()).toMatchObject({ redriven: ['101', '105'], undelivered: 2, stuck: 0 });
    expect(await sendReasons()).toEqual(['101:new', '105:regression']);
    expect(await redis.get(undeliveredAlertsKey(prefix))).toBe('2');

    // The next minute: the re-drives have their time; nothing is queued twice.
    expect(await run()).toMatchObject({ redriven: [], undelivered: 2, stuck: 0 });
    expect(await sendReasons()).toEqual(['101:new', '105:regression']);

    // The re-drive of 105 delivered; 101 is still undelivered long after its re-drive: one ops alert, not one a minute.
    await database.db.insert(alertMessages).values({ issueId: '105', chatId, status: 'sent', messageId: 8, generation: 2 });
    await age('101', { redrivenAt: minutesAgo(11) });
    expect(await run()).toMatchObject({ undelivered: 1, stuck: 1 });
    expect(await run()).toMatchObject({ undelivered: 1, stuck: 1 });
    const raised = await opsQueue.getJobs(['waiting']);
    expect(raised).toHaveLength(1);
    expect(raised[0]!.data).toMatchObject({ throttleKey: 'undelivered-alerts', title: '1 alert not delivered' });
    expect(await redis.get(undeliveredAlertsKey(prefix))).toBe('1');
  });

  it('pages past a storm: more than a page of delivered alerts and one newer undelivered one, which is re-driven and counted (issue 10 #9)', async () => {
    const delivered = Array.from({ length: 520 }, (_, index) => String(20_000 + index));
    for (let start = 0; start < delivered.length; start += 40) await Promise.all(delivered.slice(start, start + 40).map((issueId) => record(issueId)));
    await record('29999'); // newer, never delivered
    await database.db.insert(alertMessages).values(delivered.map((issueId, index) => ({ issueId, chatId, status: 'sent', messageId: 1_000 + index })));
    await database.db.update(alerts).set({ transitionAt: minutesAgo(60) }).where(inArray(alerts.issueId, delivered));
    await age('29999', { transitionAt: minutesAgo(15) });

    expect(await run()).toMatchObject({ examined: 521, redriven: ['29999'], undelivered: 1 });
    expect(await sendReasons()).toEqual(['29999:new']);
    expect(await redis.get(undeliveredAlertsKey(prefix))).toBe('1');
  });

  it('a regression recorded while muted owes no message: nothing is re-driven once the mute ends (issue 10 #9, a mute is a promise of quiet)', async () => {
    await record('301');
    await database.db.insert(alertMessages).values({ issueId: '301', chatId, status: 'sent', messageId: 31, createdAt: minutesAgo(120) });
    await age('301', { transitionAt: minutesAgo(120) });
    const mutedAt = new Date();
    await recordMute(database.db, { issueId: '301', by: '@ana', at: mutedAt, until: new Date(mutedAt.getTime() + 3_600_000) });
    await record('301', { regressionSeen: true });
    const [muted] = await database.db.select().from(alerts).where(eq(alerts.issueId, '301'));
    expect(muted).toMatchObject({ state: 'muted', lastTransition: 'regression', notifyingTransition: null, transitionAt: null });

    // The mute ends (its expiry job), and what it owed, if anything, is past the re-drive grace: nothing is sent.
    await recordUnmute(database.db, { issueId: '301', by: null, at: new Date(), wasMuted: true });
    await database.db.update(alerts).set({ transitionAt: minutesAgo(15) }).where(and(eq(alerts.issueId, '301'), isNotNull(alerts.transitionAt)));
    expect(await run()).toMatchObject({ redriven: [], undelivered: 0 });
    expect(await sendReasons()).toEqual([]);
  });
});
