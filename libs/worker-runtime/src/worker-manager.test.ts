import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import postgres from 'postgres';
import { Producer, createProducerConnection } from '@triage/queue';
import {
  createTestDatabase,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';
import { JobStats } from '@triage/health';
import { opsAlert } from '@triage/contracts';
import { checkHandlerRegistry, WorkerStartupError } from './worker-manager';
import { raiseOpsAlertOnFailure } from './ops-alert-on-failure';
import type { JobHandler } from './job-handler';
import { fixtureAlwaysFails, fixtureRecord } from './fixtures/fixture-jobs';

const handlerFor = (name: string) => ({ contract: { name } }) as unknown as JobHandler<unknown>;

describe('checkHandlerRegistry', () => {
  it.each([
    { handlers: ['a', 'b'], queues: ['a', 'b'], problems: [] },
    { handlers: ['a'], queues: ['a', 'b'], problems: ['job "b" has no handler'] },
    { handlers: ['a', 'a', 'b'], queues: ['a'], problems: ['job "a" has 2 handlers; it must have exactly one'] },
    { handlers: ['a'], queues: ['zzz'], problems: ['queue "zzz" does not exist (known: a, b)'] },
    { handlers: ['a'], queues: [], problems: ['no queues to consume'] },
  ])('handlers $handlers for queues $queues', ({ handlers, queues, problems }) => {
    const run = () => checkHandlerRegistry(handlers.map(handlerFor), queues, ['a', 'b']);
    if (problems.length === 0) {
      expect(run).not.toThrow();
      return;
    }
    try {
      run();
      throw new Error('expected a WorkerStartupError');
    } catch (error) {
      expect(error).toBeInstanceOf(WorkerStartupError);
      expect((error as WorkerStartupError).problems).toEqual(problems);
    }
  });
});

describe('raiseOpsAlertOnFailure', () => {
  it('never raises an ops alert for an ops-alert that failed (it would loop); raises one for any other job', async () => {
    const enqueued: unknown[] = [];
    const producer = { enqueue: (...args: unknown[]) => Promise.resolve(enqueued.push(args)) } as unknown as Producer;
    const raise = raiseOpsAlertOnFailure(producer, 'https://triage.example.com');
    const failure = { jobId: '7', attempts: 5, error: 'boom', at: new Date('2026-12-03T10:00:30Z') };
    await raise({ ...failure, queue: opsAlert.name });
    expect(enqueued).toEqual([]);
    await raise({ ...failure, queue: 'send-alert' });
    expect(enqueued).toEqual([
      [
        opsAlert,
        {
          throttleKey: 'job-failed:send-alert',
          title: 'send-alert job failed for good',
          details: 'job 7 after 5 attempts\nerror: boom',
          link: 'https://triage.example.com/admin/queues/queue/send-alert?status=failed',
          throttleSeconds: 3600,
          raisedAt: '2026-12-03T10:00:30.000Z',
        },
      ],
    ]);
  });
});

describe('worker process (fixture jobs, real Redis and Postgres)', () => {
  const prefix = uniquePrefix('wr');
  let database: TestDatabase;
  let sql: postgres.Sql;
  let worker: StartedProcess;
  let producer: Producer;
  const connection = createProducerConnection(testRedisUrl());

  const startWorker = async () => {
    worker = startTsProcess('libs/worker-runtime/src/fixtures/fixture-worker.ts', [], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
    });
    await worker.waitForOutput('fixture worker ready');
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    producer = new Producer({ connection, prefix });
    const queue = new Queue(fixtureRecord.name, { connection, prefix });
    await queue.upsertJobScheduler('fixture-tick-v1', { every: 60_000 }, { name: fixtureRecord.name, data: { label: 'old' } });
    await queue.close();
    await startWorker();
  });

  afterEach(async () => {
    if (worker.child.exitCode === null) return;
    await startWorker();
  });

  afterAll(async () => {
    worker.kill('SIGTERM');
    await worker.exited;
    await producer.close();
    connection.disconnect();
    await sql.end();
    await database.drop();
  });

  it('handles a job in a separate process, with its effect in Postgres', async () => {
    const job = await producer.enqueue(fixtureRecord, { label: 'hello' });
    const rows = await waitFor(async () => {
      const found = await sql`select label, attempt from fixture_runs where label = 'hello'`.catch(() => []);
      return found.length > 0 ? found : undefined;
    }, { what: 'the fixture row' });
    expect(rows).toEqual([{ label: 'hello', attempt: 1 }]);
    const queue = new Queue(fixtureRecord.name, { connection, prefix });
    await waitFor(async () => (await queue.getJobState(job.id!)) === 'completed', { what: 'job completed' });
    // Its start and its end are recorded for the stuck-queue rule.
    const activity = await waitFor(async () => {
      const read = await new JobStats(connection, prefix).activity(fixtureRecord.name);
      return read.lastStartedAt && read.lastFinishedAt ? read : undefined;
    }, { what: 'the start and end recorded' });
    expect(activity.lastStartedAt!.getTime()).toBeLessThanOrEqual(activity.lastFinishedAt!.getTime());
    await queue.close();
  });

  it('upserts its job schedulers and removes stale versions', async () => {
    const queue = new Queue(fixtureRecord.name, { connection, prefix });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((scheduler) => scheduler.key)).toEqual(['fixture-tick-v2']);
    await waitFor(async () => {
      const [row] = await sql<{ count: number }[]>`select count(*)::int as count from fixture_runs where label = 'tick'`.catch(() => []);
      return (row?.count ?? 0) >= 2 ? true : undefined;
    }, { what: 'two scheduled ticks' });
    await queue.close();
  });

  it('retries a failing job with backoff and ends in failed with its reason', async () => {
    const job = await producer.enqueue(fixtureAlwaysFails, { reason: 'upstream said no' });
    const queue = new Queue(fixtureAlwaysFails.name, { connection, prefix });
    await waitFor(async () => (await queue.getJobState(job.id!)) === 'failed', { what: 'job failed', timeoutMs: 20_000 });
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(3);
    expect(failed?.failedReason).toBe('upstream said no');
    expect(failed?.opts.backoff).toEqual({ type: 'exponential', delay: 100, jitter: 0.5 });
    // Three attempts with a backoff between them: the last one ran after the first backoff delay at least.
    expect(failed!.finishedOn! - failed!.timestamp).toBeGreaterThanOrEqual(100);
    expect(worker.output()).toMatch(/job failed; will retry/);
    // Each attempt is counted for /metrics and `triage health`: two retried, one failed for good.
    const stats = new JobStats(connection, prefix);
    const totals = await waitFor(async () => {
      const read = await stats.totals(fixtureAlwaysFails.name);
      return read.failed === 1 ? read : undefined;
    }, { what: 'the failure counted' });
    expect(totals.retried).toBe(2);
    await queue.close();
  });

  it('fails a bad payload once, without retries, and says why', async () => {
    // Bypass the producer's validation, as a stale producer of an older version would.
    const queue = new Queue(fixtureRecord.name, { connection, prefix });
    const job = await queue.add(fixtureRecord.name, { label: '' }, { attempts: 5, backoff: { type: 'fixed', delay: 10 } });
    await waitFor(async () => (await queue.getJobState(job.id!)) === 'failed', { what: 'job failed' });
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/^invalid payload: label: /);
    expect(worker.output()).toMatch(/invalid payload; failing without retry/);
    // Counted as failed, but the handler never ran: no duration goes into the histogram.
    const stats = new JobStats(connection, prefix);
    const totals = await waitFor(async () => {
      const read = await stats.totals(fixtureRecord.name);
      return read.failed === 1 ? read : undefined;
    }, { what: 'the bad payload counted' });
    const timed = Object.values(totals.buckets).reduce((sum, count) => sum + count, 0);
    expect(timed).toBe(totals.completed + totals.retried);
    await queue.close();
  });

  it('logs a stray promise rejection and keeps working', async () => {
    await producer.enqueue(fixtureRecord, { label: 'stray', strayRejection: true });
    await worker.waitForOutput('unhandled promise rejection');
    await producer.enqueue(fixtureRecord, { label: 'after-stray' });
    await waitFor(async () => {
      const rows = await sql`select 1 from fixture_runs where label = 'after-stray'`.catch(() => []);
      return rows.length > 0 || undefined;
    }, { what: 'a job handled after the stray rejection' });
    expect(worker.child.exitCode).toBeNull();
  });

  it('lets an active job finish on SIGTERM and exits 0', async () => {
    await producer.enqueue(fixtureRecord, { label: 'slow', delayMs: 1_500 });
    await worker.waitForOutput('"label":"slow"');
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const rows = await sql`select label from fixture_runs where label = 'slow'`;
    expect(rows).toHaveLength(1);
    expect(worker.output()).toMatch(/shutting down/);
  });
});
