/** Test support for send-alert: a real WorkerManager (process-alert + send-alert) against real Redis, Postgres and the Telegram fake. */
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig } from '@triage/config';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection, createWorkerConnection } from '@triage/queue';
import { ChatPacer, parseRoutes, TelegramBotApi, type ChatPacerLimits } from '@triage/telegram';
import { createTelegramFake, testRedisUrl, uniquePrefix, type FakeChatConfig, type FakeRates, type TelegramFake } from '@triage/testing';
import { WorkerManager } from '@triage/worker-runtime';
import { processAlert, queueNames, type ProcessAlertPayload } from '../index';
import { processAlertHandler } from '../process-alert/process-alert.handler';
import type { WorkerDeps } from '../worker-deps';
import { sendAlertHandler } from './send-alert.handler';

export const botToken = '123456:TEST-send-alert-token';

export interface HarnessOptions {
  databaseUrl: string;
  chatId: string;
  chats: FakeChatConfig[];
  rates?: FakeRates;
  pacerLimits?: Partial<ChatPacerLimits>;
  /** false: TELEGRAM_BOT_TOKEN unset. */
  telegram?: boolean;
  concurrency?: number;
  /** A ROUTES_FILE's text (YAML); default: no rules, everything to chatId. */
  routes?: string;
}

export interface Harness {
  fake: TelegramFake;
  deps: WorkerDeps;
  database: DatabaseHandle;
  prefix: string;
  /** Every log line the workers wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  alert(issueId: string, overrides?: Partial<Extract<ProcessAlertPayload, { kind: 'issue' }>>): Promise<void>;
  alerts(payloads: Array<Partial<Extract<ProcessAlertPayload, { kind: 'issue' }>> & { issueId: string }>): Promise<void>;
  queue(name: 'send-alert' | 'process-alert'): Queue;
  /** Resolves once neither queue has a job waiting, delayed or active. */
  idle(): Promise<boolean>;
  close(): Promise<void>;
}

export function issuePayload(issueId: string, overrides: Partial<Extract<ProcessAlertPayload, { kind: 'issue' }>> = {}): Extract<ProcessAlertPayload, { kind: 'issue' }> {
  return {
    kind: 'issue',
    issueId,
    title: `TypeError: cannot read properties of undefined <${issueId}>`,
    culprit: 'app/handlers/checkout.ts in submitOrder',
    url: `http://glitchtip.test/acme/issues/${issueId}`,
    orgSlug: 'acme',
    levelHint: 'error',
    project: 'backend',
    environment: 'production',
    release: '1.2.3',
    serverName: null,
    shortId: `BACKEND-${issueId}`,
    extraTags: {},
    source: 'webhook',
    receivedAt: new Date().toISOString(),
    regression: false,
    ...overrides,
  };
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const fake = createTelegramFake({ token: botToken, chats: options.chats, rates: options.rates });
  await fake.start();
  const prefix = uniquePrefix('sa');
  const telegramOn = options.telegram !== false;
  const config = loadConfig({
    QUEUE_PREFIX: prefix,
    TELEGRAM_CHAT_ID: options.chatId,
    TELEGRAM_API_ROOT: fake.url,
    ...(telegramOn ? { TELEGRAM_BOT_TOKEN: botToken } : {}),
  });
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ name: 'send-alert-test', level: 'debug', pretty: false, destination });
  const database = connectDatabase(options.databaseUrl);
  const redis: Redis = createWorkerConnection(testRedisUrl());
  const producerConnection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection: producerConnection, prefix, timeoutMs: 5_000 });
  const deps: WorkerDeps = {
    config,
    db: database.db,
    redis,
    producer,
    glitchtip: undefined,
    telegram: telegramOn ? new TelegramBotApi({ apiRoot: fake.url, token: botToken, logger, timeoutMs: 5_000 }) : undefined,
    pacer: new ChatPacer({ redis, prefix, limits: options.pacerLimits }),
    routes: options.routes ? parseRoutes(options.routes) : [],
    handledQueues: new Set([processAlert.name, sendAlertHandler.contract.name]),
  };
  const manager = new WorkerManager<WorkerDeps>({ redisUrl: testRedisUrl(), prefix, logger, deps, defaultConcurrency: options.concurrency ?? 5 });
  await manager.start([processAlertHandler, sendAlertHandler] as never, [processAlert.name, 'send-alert'], queueNames);
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    let found = queues.get(name);
    if (!found) {
      found = new Queue(name, { connection: producerConnection, prefix });
      queues.set(name, found);
    }
    return found;
  };
  return {
    fake,
    deps,
    database,
    prefix,
    logs,
    alert: async (issueId, overrides) => {
      await producer.enqueue(processAlert, issuePayload(issueId, overrides));
    },
    alerts: async (payloads) => {
      await producer.enqueueBulk(
        processAlert,
        payloads.map(({ issueId, ...overrides }) => issuePayload(issueId, overrides)),
      );
    },
    queue,
    idle: async () => {
      for (const name of [processAlert.name, 'send-alert']) {
        const counts = await queue(name).getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        if (Object.values(counts).some((count) => count > 0)) return false;
      }
      return true;
    },
    close: async () => {
      await manager.close(10_000);
      for (const opened of queues.values()) await opened.close();
      await producer.close();
      producerConnection.disconnect();
      redis.disconnect();
      await database.close();
      await fake.stop();
    },
  };
}
