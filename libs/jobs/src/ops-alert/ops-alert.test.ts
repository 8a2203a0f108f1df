import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { z } from 'zod';
import { loadConfig } from '@triage/config';
import { opsAlert, queueNames, type OpsAlertPayload } from '@triage/contracts';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { rememberMigration } from '@triage/delivery';
import { createLogger } from '@triage/logger';
import { Producer, appKey, createProducerConnection, createWorkerConnection, defineJob } from '@triage/queue';
import { ChatPacer, TelegramBotApi } from '@triage/telegram';
import { createTelegramFake, createTestDatabase, testRedisUrl, uniquePrefix, waitFor, type TestDatabase } from '@triage/testing';
import { WorkerManager, defineHandler, raiseOpsAlertOnFailure, type JobHandler } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { opsAlertHandler } from './ops-alert.handler';
import { renderOpsAlert } from './ops-alert-message';

const botToken = '123456:TEST-ops-alert-token';
const opsChatId = -1001000000077;
/** Where the ops chat lives after becoming a supergroup (the alert path recorded the move). */
const movedOpsChatId = -1001000000078;

const fixtureAlwaysFails = defineJob({
  name: 'fixture-always-fails',
  description: 'throws every time',
  schema: z.object({ reason: z.string() }),
  defaultOptions: { attempts: 3, backoff: { type: 'fixed', delay: 50 } },
});

const failingHandler = defineHandler<WorkerDeps, typeof fixtureAlwaysFails>({
  contract: fixtureAlwaysFails,
  handle(payload) {
    return Promise.reject(new Error(payload.reason));
  },
});

const payload = (overrides: Partial<OpsAlertPayload> = {}): OpsAlertPayload => ({
  throttleKey: 'job-failed:send-alert',
  title: 'send-alert job failed for good',
  details: 'error: <boom> & more',
  link: 'https://triage.example.com/admin/queues/queue/send-alert?status=failed',
  throttleSeconds: 3600,
  raisedAt: '2026-12-03T10:15:00.000Z',
  ...overrides,
});

describe('renderOpsAlert', () => {
  it.each([
    { name: 'escapes details and links a dotted host', input: payload(), contains: ['&lt;boom&gt; &amp; more', '<a href="https://triage.example.com/admin/queues/queue/send-alert?status=failed">', 'held for 60 min'] },
    { name: 'keeps a dotless host as text', input: payload({ link: 'http://localhost:3000/admin/queues' }), contains: ['Look: http://localhost:3000/admin/queues'] },
    { name: 'no throttle line without a throttle', input: payload({ throttleSeconds: 0, details: '' }), contains: ['<b>Triage: send-alert job failed for good</b>'] },
  ])('$name', ({ input, contains }) => {
    const html = renderOpsAlert(input);
    for (const part of contains) expect(html).toContain(part);
    if (input.throttleSeconds === 0) expect(html).not.toContain('held for');
  });
});

describe('ops-alert (real Redis, Postgres, Telegram fake)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const fake = createTelegramFake({ token: botToken, chats: [{ id: opsChatId, type: 'supergroup' }, { id: movedOpsChatId, type: 'supergroup' }] });
  const prefix = uniquePrefix('ops');
  const producerConnection = createProducerConnection(testRedisUrl());
  const redis = createWorkerConnection(testRedisUrl());
  const producer = new Producer({ connection: producerConnection, prefix });
  let manager: WorkerManager<WorkerDeps>;
  let failuresRaised = 0;
  const queues: Queue[] = [];
  const queue = (name: string) => {
    const opened = new Queue(name, { connection: producerConnection, prefix });
    queues.push(opened);
    return opened;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
    await fake.start();
    const logger = createLogger({ name: 'ops-alert-test', level: 'silent', pretty: false });
    const config = loadConfig({ QUEUE_PREFIX: prefix, TELEGRAM_BOT_TOKEN: botToken, TELEGRAM_API_ROOT: fake.url, TELEGRAM_CHAT_ID: '-1001000000001', OPS_CHAT_ID: String(opsChatId) });
    const deps: WorkerDeps = {
      config,
      db: handle.db,
      redis,
      producer,
      glitchtip: undefined,
      telegram: new TelegramBotApi({ apiRoot: fake.url, token: botToken, logger, timeoutMs: 5_000 }),
      pacer: new ChatPacer({ redis, prefix }),
      routes: [],
      handledQueues: new Set([opsAlert.name, fixtureAlwaysFails.name]),
    };
    manager = new WorkerManager<WorkerDeps>({
      redisUrl: testRedisUrl(),
      prefix,
      logger,
      deps,
      defaultConcurrency: 3,
      onFailedForGood: raiseOpsAlertOnFailure(producer, 'https://triage.example.com'),
      // Each failure a minute after the last: the ops-alert job ids (one per kind and minute) never merge them.
      now: () => new Date(Date.parse('2026-12-03T09:00:00Z') + 60_000 * failuresRaised++),
    });
    const handlers = [opsAlertHandler, failingHandler] as Array<JobHandler<WorkerDeps>>;
    await manager.start(handlers, [opsAlert.name, fixtureAlwaysFails.name], [...queueNames, fixtureAlwaysFails.name]);
  });

  afterAll(async () => {
    await manager.close(10_000);
    for (const opened of queues) await opened.close();
    await producer.close();
    producerConnection.disconnect();
    redis.disconnect();
    await handle.close();
    await database.drop();
    await fake.stop();
  });

  const opsQueueSettled = async (opsQueue: Queue) => {
    const counts = await opsQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).every((count) => count === 0);
  };

  it('a job type failing for good three times in an hour gives one ops alert, with the error and a Bull Board link', async () => {
    const failing = queue(fixtureAlwaysFails.name);
    const opsQueue = queue(opsAlert.name);
    const jobs = await Promise.all(['first', 'second', 'third'].map((reason) => producer.enqueue(fixtureAlwaysFails, { reason: `upstream said no (${reason})` })));
    await waitFor(async () => {
      const states = await Promise.all(jobs.map((job) => failing.getJobState(job.id!)));
      return states.every((state) => state === 'failed');
    }, { what: 'three jobs failed for good', timeoutMs: 20_000 });
    const messages = await waitFor(() => (fake.messagesIn(opsChatId).length > 0 ? fake.messagesIn(opsChatId) : undefined), { what: 'the ops alert' });
    // Every ops-alert job the failures raised has run (sent or throttled) before counting messages.
    await waitFor(async () => (await opsQueueSettled(opsQueue)) && (await opsQueueSettled(opsQueue)), { what: 'ops-alert queue settled' });
    // Three jobs (distinct minutes), so it is the hourly throttle, not the job id, that holds back two of them.
    const raised = await opsQueue.getJobs(['completed']);
    const ofThisKind = raised.filter((job) => (job.data as OpsAlertPayload).throttleKey === `job-failed:${fixtureAlwaysFails.name}`);
    expect(ofThisKind.map((job) => (job.returnvalue as { action: string }).action).sort()).toEqual(['sent', 'throttled', 'throttled']);
    expect(fake.messagesIn(opsChatId)).toHaveLength(1);
    const [message] = messages;
    expect(message!.text).toContain('Triage: fixture-always-fails job failed for good');
    expect(message!.text).toMatch(/error: upstream said no \((first|second|third)\)/);
    expect(message!.text).toContain('after 3 attempts');
    expect(message!.entities.some((entity) => entity.type === 'text_link' && entity.url === 'https://triage.example.com/admin/queues/queue/fixture-always-fails?status=failed')).toBe(true);
  });

  it('throttles per key: three alerts of one kind in different minutes send once; another kind sends its own', async () => {
    const before = fake.messagesIn(opsChatId).length;
    const opsQueue = queue(opsAlert.name);
    const minutes = ['2026-12-03T11:00:00.000Z', '2026-12-03T11:01:00.000Z', '2026-12-03T11:02:00.000Z'];
    const jobs = await Promise.all(minutes.map((raisedAt) => producer.enqueue(opsAlert, payload({ throttleKey: 'queue-stuck:investigate', title: 'investigate queue stuck', raisedAt }))));
    const other = await producer.enqueue(opsAlert, payload({ throttleKey: 'queue-stuck:send-alert', title: 'send-alert queue stuck' }));
    const results = await waitFor(async () => {
      const finished = await Promise.all([...jobs, other].map((job) => opsQueue.getJob(job.id!)));
      return finished.every((job) => job?.finishedOn) ? finished.map((job) => (job!.returnvalue as { action: string }).action) : undefined;
    }, { what: 'four ops-alert jobs finished' });
    expect(results.slice(0, 3).sort()).toEqual(['sent', 'throttled', 'throttled']);
    expect(results[3]).toBe('sent');
    expect(fake.messagesIn(opsChatId)).toHaveLength(before + 2);
  });

  it('a send Telegram refused leaves the throttle free, so the retry still goes out', async () => {
    const before = fake.messagesIn(opsChatId).length;
    fake.inject.failNext(1, 500, 'Internal Server Error', { method: 'sendMessage' });
    const opsQueue = queue(opsAlert.name);
    const job = await producer.enqueue(opsAlert, payload({ throttleKey: 'undelivered-alerts', title: 'alerts undelivered' }), { backoff: { type: 'fixed', delay: 50 } });
    const finished = await waitFor(async () => {
      const found = await opsQueue.getJob(job.id!);
      return found?.finishedOn ? found : undefined;
    }, { what: 'the ops alert sent on retry' });
    expect(finished.attemptsMade).toBe(2);
    expect((finished.returnvalue as { action: string }).action).toBe('sent');
    expect(fake.messagesIn(opsChatId)).toHaveLength(before + 1);
  });

  it('a 429 from Telegram waits retry_after without spending an attempt, then sends once', async () => {
    const before = fake.messagesIn(opsChatId).length;
    fake.inject.rateLimitNext(1, 1, { method: 'sendMessage' });
    const opsQueue = queue(opsAlert.name);
    const job = await producer.enqueue(opsAlert, payload({ throttleKey: 'rate-limited-kind', title: 'paced' }));
    const finished = await waitFor(async () => {
      const found = await opsQueue.getJob(job.id!);
      return found?.finishedOn ? found : undefined;
    }, { what: 'the ops alert sent after the pause' });
    expect(finished.attemptsMade).toBe(1);
    expect((finished.returnvalue as { action: string }).action).toBe('sent');
    expect(fake.messagesIn(opsChatId)).toHaveLength(before + 1);
  });

  const finishedJob = async (opsQueue: Queue, id: string) =>
    waitFor(async () => {
      const found = await opsQueue.getJob(id);
      return found?.finishedOn ? found : undefined;
    }, { what: `ops-alert job ${id} finished` });

  it('a send whose outcome is unknown (502) is not retried and keeps the hourly throttle', async () => {
    const before = fake.messagesIn(opsChatId).length;
    fake.inject.failNext(1, 502, 'Bad Gateway', { method: 'sendMessage' });
    const opsQueue = queue(opsAlert.name);
    const first = await producer.enqueue(opsAlert, payload({ throttleKey: 'unknown-outcome', title: 'maybe posted', raisedAt: '2026-12-03T12:00:00.000Z' }), {
      backoff: { type: 'fixed', delay: 50 },
    });
    const finished = await finishedJob(opsQueue, first.id!);
    expect(finished.attemptsMade).toBe(1);
    expect((finished.returnvalue as { action: string }).action).toBe('outcome-unknown');
    expect(await redis.get(appKey(prefix, 'ops-throttle', 'unknown-outcome'))).toBe(first.id);
    const later = await producer.enqueue(opsAlert, payload({ throttleKey: 'unknown-outcome', title: 'maybe posted', raisedAt: '2026-12-03T12:05:00.000Z' }));
    expect(((await finishedJob(opsQueue, later.id!)).returnvalue as { action: string }).action).toBe('throttled');
    expect(fake.messagesIn(opsChatId)).toHaveLength(before);
  });

  it('follows the ops chat to the supergroup it became', async () => {
    await rememberMigration(redis, prefix, String(opsChatId), String(movedOpsChatId));
    try {
      const opsQueue = queue(opsAlert.name);
      const job = await producer.enqueue(opsAlert, payload({ throttleKey: 'moved-chat', title: 'chat moved' }));
      expect(((await finishedJob(opsQueue, job.id!)).returnvalue as { action: string }).action).toBe('sent');
      expect(fake.messagesIn(movedOpsChatId).map((message) => message.text)).toEqual([expect.stringContaining('Triage: chat moved')]);
    } finally {
      await redis.del(appKey(prefix, 'tg-chat-migrated', String(opsChatId)));
    }
  });
});
