import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { loadConfig } from '@triage/config';
import { healthCheck, investigate, opsAlert, queueNames, type OpsAlertPayload } from '@triage/contracts';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection, createWorkerConnection } from '@triage/queue';
import { ChatPacer, TelegramBotApi } from '@triage/telegram';
import { createTelegramFake, createTestDatabase, testRedisUrl, uniquePrefix, waitFor, type TestDatabase } from '@triage/testing';
import { WorkerManager, type JobHandler } from '@triage/worker-runtime';
import { opsAlertHandler } from '../ops-alert/ops-alert.handler';
import type { WorkerDeps } from '../worker-deps';
import { createHealthCheckHandler, healthCheckSchedulerId } from './health-check.handler';

const botToken = '123456:TEST-health-check-token';
const opsChatId = -1001000000088;

describe('health-check (real Redis, Postgres, Telegram fake)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const fake = createTelegramFake({ token: botToken, chats: [{ id: opsChatId, type: 'supergroup' }] });
  const prefix = uniquePrefix('hc');
  const producerConnection = createProducerConnection(testRedisUrl());
  const redis = createWorkerConnection(testRedisUrl());
  const producer = new Producer({ connection: producerConnection, prefix });
  let manager: WorkerManager<WorkerDeps>;
  /** The checks' clock runs ahead by this much: two checks in one real minute raise alerts in distinct minutes. */
  let clockAheadMs = 0;
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
    const logger = createLogger({ name: 'health-check-test', level: 'silent', pretty: false });
    const config = loadConfig({ QUEUE_PREFIX: prefix, TELEGRAM_BOT_TOKEN: botToken, TELEGRAM_API_ROOT: fake.url, TELEGRAM_CHAT_ID: String(opsChatId), PUBLIC_URL: 'https://triage.example.com' });
    const deps: WorkerDeps = {
      config,
      db: handle.db,
      redis,
      producer,
      glitchtip: undefined,
      telegram: new TelegramBotApi({ apiRoot: fake.url, token: botToken, logger, timeoutMs: 5_000 }),
      pacer: new ChatPacer({ redis, prefix }),
      routes: [],
      handledQueues: new Set([opsAlert.name, healthCheck.name]),
    };
    manager = new WorkerManager<WorkerDeps>({ redisUrl: testRedisUrl(), prefix, logger, deps, defaultConcurrency: 2 });
    await manager.start([opsAlertHandler, createHealthCheckHandler({ now: () => new Date(Date.now() + clockAheadMs) })] as Array<JobHandler<WorkerDeps>>, [opsAlert.name, healthCheck.name], queueNames);
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

  const runCheck = async () => {
    const checks = queue(healthCheck.name);
    const job = await checks.add(healthCheck.name, { stuckAfterMinutes: 10 });
    return waitFor(async () => {
      const found = await checks.getJob(job.id!);
      return found?.finishedOn ? (found.returnvalue as { stuck: string[] }) : undefined;
    }, { what: 'the health check' });
  };

  it('runs every minute from one scheduler', async () => {
    const schedulers = await queue(healthCheck.name).getJobSchedulers();
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.every])).toEqual([[healthCheckSchedulerId, 60_000]]);
  });

  it('a stuck queue raises one ops alert, however many checks see it', async () => {
    expect(await runCheck()).toEqual({ stuck: [] });
    await queue(investigate.name).add(investigate.name, { issueId: '9' }, { timestamp: Date.now() - 25 * 60_000 });
    expect(await runCheck()).toEqual({ stuck: [investigate.name] });
    const [message] = await waitFor(() => (fake.messagesIn(opsChatId).length > 0 ? fake.messagesIn(opsChatId) : undefined), { what: 'the ops alert' });
    expect(message!.text).toContain('Triage: investigate queue stuck');
    expect(message!.text).toContain('queue investigate: 1 waiting, oldest added 25 min ago, last job started or finished never, no worker consumes it');
    clockAheadMs = 2 * 60_000;
    expect(await runCheck()).toEqual({ stuck: [investigate.name] });
    const ops = queue(opsAlert.name);
    // Two ops-alert jobs (distinct minutes, so distinct job ids): the hourly throttle is what holds back the second.
    const actions = await waitFor(async () => {
      const raised = (await ops.getJobs(['completed', 'waiting', 'active', 'delayed', 'prioritized'])).filter((job) => (job.data as OpsAlertPayload).throttleKey === `queue-stuck:${investigate.name}`);
      return raised.length === 2 && raised.every((job) => job.finishedOn) ? raised.map((job) => (job.returnvalue as { action: string }).action).sort() : undefined;
    }, { what: 'both ops alerts handled' });
    expect(actions).toEqual(['sent', 'throttled']);
    expect(fake.messagesIn(opsChatId)).toHaveLength(1);
  });
});
