import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { eq, like } from 'drizzle-orm';
import { loadConfig } from '@triage/config';
import { investigationVote, queueNames, type InvestigationVotePayload } from '@triage/contracts';
import { auditLog, connectDatabase, investigations, type DatabaseHandle } from '@triage/db';
import { startRun } from '@triage/investigation';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection, createWorkerConnection } from '@triage/queue';
import { ChatPacer } from '@triage/telegram';
import { clearPrefix, createTestDatabase, testRedisUrl, uniquePrefix, waitFor, type TestDatabase } from '@triage/testing';
import { WorkerManager } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { investigationVoteHandler } from './investigation-vote.handler';

// investigation-vote in a worker against real Redis and Postgres.
describe('investigation-vote', () => {
  const prefix = uniquePrefix('vote');
  const logger = createLogger({ name: 'investigation-vote-test', level: 'silent', pretty: false });
  const redis = createWorkerConnection(testRedisUrl());
  const producerConnection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection: producerConnection, prefix });
  const queue = new Queue(investigationVote.name, { connection: producerConnection, prefix });
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let manager: WorkerManager<WorkerDeps>;
  let presses = 0;

  const press = async (vote: Omit<InvestigationVotePayload, 'chatId'>) => {
    const jobId = `press-${(presses += 1)}`;
    await producer.enqueue(investigationVote, { chatId: '-100123', ...vote }, { jobId });
    const job = await waitFor(async () => {
      const found = await queue.getJob(jobId);
      return found?.finishedOn ? found : undefined;
    }, { what: `vote job ${jobId}`, timeoutMs: 30_000 });
    return job.returnvalue as Record<string, unknown>;
  };
  const runOf = async (id: number) => (await handle.db.select({ vote: investigations.vote, votedBy: investigations.votedBy }).from(investigations).where(eq(investigations.id, id)))[0];
  const auditsOf = (requestId: string) => handle.db.select().from(auditLog).where(eq(auditLog.idempotencyKey, `vote:${requestId}`));

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
    const config = loadConfig({ QUEUE_PREFIX: prefix, TELEGRAM_ALLOWED_USER_IDS: '77,78' });
    const deps: WorkerDeps = { config, db: handle.db, redis, producer, glitchtip: undefined, telegram: undefined, pacer: new ChatPacer({ redis, prefix }), routes: [], handledQueues: new Set([investigationVote.name]) };
    manager = new WorkerManager<WorkerDeps>({ redisUrl: testRedisUrl(), prefix, logger, deps, defaultConcurrency: 1 });
    await manager.start([investigationVoteHandler], [investigationVote.name], queueNames);
  });

  afterAll(async () => {
    await manager.close(10_000);
    await queue.close();
    await producer.close();
    await clearPrefix(testRedisUrl(), prefix);
    producerConnection.disconnect();
    redis.disconnect();
    await handle.close();
    await database.drop();
  });

  it('stores a vote, a later press replaces it, and a redelivered press is audited once', async () => {
    const id = await startRun(handle.db, { issueId: '501', eventId: null, requestedBy: 'test' });
    expect(await press({ investigationId: id, vote: 'helpful', actor: { userId: 77 }, requestId: 'cb-a' })).toEqual({ stored: true, vote: 'helpful' });
    expect(await runOf(id)).toEqual({ vote: 'helpful', votedBy: 'telegram:77' });
    await press({ investigationId: id, vote: 'helpful', actor: { userId: 77 }, requestId: 'cb-a' });
    expect(await auditsOf('cb-a')).toHaveLength(1);
    await press({ investigationId: id, vote: 'not-helpful', actor: { userId: 78 }, requestId: 'cb-b' });
    expect(await runOf(id)).toEqual({ vote: 'not-helpful', votedBy: 'telegram:78' });
    expect((await auditsOf('cb-b'))[0]).toMatchObject({ action: 'investigation.vote.not-helpful', actor: 'telegram:78', result: 'ok' });
  });

  it('refuses a user outside TELEGRAM_ALLOWED_USER_IDS and leaves the vote alone', async () => {
    const id = await startRun(handle.db, { issueId: '502', eventId: null, requestedBy: 'test' });
    expect(await press({ investigationId: id, vote: 'helpful', actor: { userId: 5 }, requestId: 'cb-c' })).toEqual({ refused: true });
    expect(await runOf(id)).toEqual({ vote: null, votedBy: null });
    expect((await auditsOf('cb-c'))[0]).toMatchObject({ actor: 'telegram:5', result: 'refused' });
  });

  it('a vote on an investigation that no longer exists is audited as skipped, not a failed job', async () => {
    expect(await press({ investigationId: 987_654, vote: 'helpful', actor: { userId: 77 }, requestId: 'cb-d' })).toEqual({ stored: false, vote: 'helpful' });
    expect((await auditsOf('cb-d'))[0]).toMatchObject({ result: 'skipped' });
    expect(await handle.db.select().from(auditLog).where(like(auditLog.action, 'investigation.vote.%'))).toHaveLength(4);
  });
});
