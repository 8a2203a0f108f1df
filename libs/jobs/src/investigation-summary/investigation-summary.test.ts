import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import postgres from 'postgres';
import { loadConfig } from '@triage/config';
import { investigationSummary, queueNames, type InvestigationSummaryPayload } from '@triage/contracts';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { startRun } from '@triage/investigation';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection, createWorkerConnection } from '@triage/queue';
import { ChatPacer, TelegramBotApi } from '@triage/telegram';
import { clearPrefix, createTelegramFake, createTestDatabase, testRedisUrl, uniquePrefix, waitFor, type TestDatabase } from '@triage/testing';
import { WorkerManager } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { investigationSummaryHandler } from './investigation-summary.handler';

// investigation-summary in a worker against the strict Telegram fake (a forum with two topics), real Redis and Postgres.
describe('investigation-summary', () => {
  const botToken = '717171:SUMMARY-token-abcdefghijklmnopq';
  const forumId = -100881;
  const logger = createLogger({ name: 'investigation-summary-test', level: 'silent', pretty: false });
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: forumId, type: 'supergroup', isForum: true, topics: [11, 12] }] });
  const redis = createWorkerConnection(testRedisUrl());
  const producerConnection = createProducerConnection(testRedisUrl());
  const prefixes: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let sql: postgres.Sql;

  async function startWorker(env: Record<string, string> = {}) {
    const prefix = uniquePrefix('isum');
    prefixes.push(prefix);
    const config = loadConfig({ QUEUE_PREFIX: prefix, TELEGRAM_BOT_TOKEN: botToken, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_CHAT_ID: String(forumId), ...env });
    const producer = new Producer({ connection: producerConnection, prefix });
    const deps: WorkerDeps = {
      config, db: handle.db, redis, producer, glitchtip: undefined,
      telegram: new TelegramBotApi({ apiRoot: telegram.url, token: botToken, logger, timeoutMs: 5_000 }),
      pacer: new ChatPacer({ redis, prefix }), routes: [], handledQueues: new Set([investigationSummary.name]),
    };
    const manager = new WorkerManager<WorkerDeps>({ redisUrl: testRedisUrl(), prefix, logger, deps, defaultConcurrency: 1 });
    await manager.start([investigationSummaryHandler], [investigationSummary.name], queueNames);
    const queue = new Queue(investigationSummary.name, { connection: producerConnection, prefix });
    closers.push(async () => {
      await manager.close(10_000);
      await queue.close();
      await producer.close();
    });
    const run = async (payload: InvestigationSummaryPayload) => {
      await producer.enqueue(investigationSummary, payload);
      const job = await waitFor(async () => {
        const found = await queue.getJob(`investigation-summary-${payload.investigationId}`);
        return found?.finishedOn ? found : undefined;
      }, { what: 'the summary job', timeoutMs: 30_000 });
      return job.returnvalue as Record<string, unknown>;
    };
    return { run };
  }

  const seedAlert = async (issueId: string) => {
    await sql`insert into alerts (issue_id, source, title, state, snapshot) values (${issueId}, 'webhook', 'TypeError: pool is closed', 'open', ${sql.json({})})`;
    // Topic 11 holds two generations; the later one has the lower row id (rows are not written in generation order).
    await sql`insert into alert_messages (issue_id, chat_id, thread_id, route_thread_id, generation, message_id, status) values
      (${issueId}, ${String(forumId)}, 11, 11, 2, 902, 'sent'),
      (${issueId}, ${String(forumId)}, 11, 11, 1, 901, 'sent'),
      (${issueId}, ${String(forumId)}, 12, 12, 1, 903, 'sent')`;
    return startRun(handle.db, { issueId, eventId: null, requestedBy: 'test' });
  };
  const summaryCalls = (issueId: string) => telegram.callsTo('sendMessage').filter((call) => String(call.params.text).includes(`Investigation of issue ${issueId}`));
  const replyTarget = (value: unknown) => ((typeof value === 'string' ? JSON.parse(value) : value) as { message_id?: number } | undefined)?.message_id;

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    await telegram.start();
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    for (const prefix of prefixes) await clearPrefix(testRedisUrl(), prefix);
    producerConnection.disconnect();
    redis.disconnect();
    await sql.end();
    await handle.close();
    await database.drop();
    await telegram.stop();
  });

  it('answers the latest generation in every topic once; the same findings again send nothing', async () => {
    const { run } = await startWorker();
    const investigationId = await seedAlert('6001');
    // Two replies in one group: the pacer may put the job back between them (the last attempt then finds one sent).
    await run({ investigationId, issueId: '6001', summary: 'suspect abc', findingsHash: 'aaaa1111' });
    expect(summaryCalls('6001').map((call) => [Number(call.params.message_thread_id), replyTarget(call.params.reply_parameters)]).sort()).toEqual([[11, 902], [12, 903]]);
    const [alert] = await sql`select investigation from alerts where issue_id = '6001'`;
    expect(alert?.investigation).toMatchObject({ investigationId, summary: 'suspect abc' });
    const rerun = await startRun(handle.db, { issueId: '6001', eventId: null, requestedBy: 'test' });
    expect(await run({ investigationId: rerun, issueId: '6001', summary: 'suspect abc', findingsHash: 'aaaa1111' })).toMatchObject({ replies: { 'already-sent': 2 } });
    expect(summaryCalls('6001')).toHaveLength(2);
  });

  it('a 429 puts only the summary back; it is sent once when the wait is over', async () => {
    const { run } = await startWorker();
    const investigationId = await seedAlert('6002');
    telegram.inject.rateLimitNext(1, 1, { method: 'sendMessage' });
    await run({ investigationId, issueId: '6002', summary: 'suspect def', findingsHash: 'bbbb2222' });
    expect(summaryCalls('6002').filter((call) => call.response.status === 429)).toHaveLength(1);
    expect(telegram.messagesIn(forumId).filter((message) => message.text?.includes('Investigation of issue 6002'))).toHaveLength(2);
    const audits = await sql`select idempotency_key from audit_log where issue_id = '6002' and action = 'telegram.investigation-summary'`;
    expect(audits).toHaveLength(2);
  });

  it('GLITCHTIP_INTEGRATION_ENABLED=false sends nothing', async () => {
    const { run } = await startWorker({ GLITCHTIP_INTEGRATION_ENABLED: 'false' });
    const investigationId = await seedAlert('6003');
    expect(await run({ investigationId, issueId: '6003', summary: 'suspect ghi', findingsHash: 'cccc3333' })).toEqual({ skipped: 'GLITCHTIP_INTEGRATION_ENABLED=false' });
    expect(summaryCalls('6003')).toHaveLength(0);
  });
});
