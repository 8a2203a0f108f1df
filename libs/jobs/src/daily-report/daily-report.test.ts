import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { loadConfig } from '@triage/config';
import { dailyReport, opsAlert, queueNames, type OpsAlertPayload } from '@triage/contracts';
import { auditLog, connectDatabase, dailyReportDeliveries, issueHourEvents, type DatabaseHandle } from '@triage/db';
import { recordDelivery } from '@triage/delivery';
import { GlitchTipClient } from '@triage/glitchtip';
import { createLogger, type Logger } from '@triage/logger';
import { staleClaimMs } from '@triage/reports';
import { Producer, createProducerConnection, createWorkerConnection } from '@triage/queue';
import { ChatPacer, TelegramBotApi } from '@triage/telegram';
import { createGlitchTipFake, createTelegramFake, createTestDatabase, testRedisUrl, uniquePrefix, waitFor, type TestDatabase } from '@triage/testing';
import { WorkerManager, type JobHandler } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { createDailyReportHandler, dailyReportSchedulerId, issueHoursEveryMs, issueHoursSchedulerId } from './daily-report.handler';
import { reportDate, scheduledAt } from './report-date';

const botToken = '123456:TEST-daily-report-token';
const apiToken = 'b'.repeat(64);
const chatId = -1001000000055;
const now = new Date('2026-06-20T09:00:00Z');

describe('reportDate', () => {
  it.each([
    { name: 'a scheduler run at 09:00 Berlin reports the Berlin day before', id: `repeat:daily-report-v1:${Date.parse('2026-03-30T07:00:00Z')}`, timestamp: 0, date: undefined, zone: 'Europe/Berlin', expected: '2026-03-29' },
    { name: 'a retry hours later still reports the scheduled day', id: `repeat:daily-report-v1:${Date.parse('2026-06-20T07:00:00Z')}`, timestamp: Date.parse('2026-06-21T02:00:00Z'), date: undefined, zone: 'UTC', expected: '2026-06-19' },
    { name: 'a job without a scheduler id uses its timestamp', id: '17', timestamp: Date.parse('2026-06-20T00:30:00Z'), date: undefined, zone: 'UTC', expected: '2026-06-19' },
    { name: 'a named date wins', id: 'x', timestamp: 0, date: '2026-01-02', zone: 'UTC', expected: '2026-01-02' },
  ])('$name', ({ id, timestamp, date, zone, expected }) => {
    expect(reportDate(date, { id, timestamp }, zone)).toBe(expected);
  });

  it('reads the scheduled time from the job id', () => {
    expect(scheduledAt({ id: 'repeat:daily-report-v1:1781946000000', timestamp: 5 }).toISOString()).toBe('2026-06-20T09:00:00.000Z');
  });
});

describe('daily-report job (real Redis, Postgres, GlitchTip and Telegram fakes)', () => {
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'org:read'], org: 'acme', now: () => now });
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const logger = createLogger({ name: 'daily-report-test', level: 'silent', pretty: false });
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const redis = createWorkerConnection(testRedisUrl());
  const producerConnection = createProducerConnection(testRedisUrl());
  const closers: Array<() => Promise<void>> = [];

  interface Worker {
    prefix: string;
    producer: Producer;
    queue: Queue;
    manager: WorkerManager<WorkerDeps>;
  }

  async function startWorker(options: { prefix?: string; handler?: JobHandler<WorkerDeps>; env?: Record<string, string>; logger?: Logger } = {}): Promise<Worker> {
    const prefix = options.prefix ?? uniquePrefix('dr');
    const config = loadConfig({
      QUEUE_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      GLITCHTIP_ORG: 'acme',
      ...options.env,
    });
    const producer = new Producer({ connection: producerConnection, prefix });
    const deps: WorkerDeps = {
      config,
      db: handle.db,
      redis,
      producer,
      glitchtip: new GlitchTipClient({ baseUrl: glitchtip.url, token: apiToken, org: 'acme', logger, timeoutMs: 5_000, retries: 0 }),
      telegram: new TelegramBotApi({ apiRoot: telegram.url, token: botToken, logger, timeoutMs: 5_000 }),
      pacer: new ChatPacer({ redis, prefix }),
      routes: [],
      handledQueues: new Set([dailyReport.name]),
    };
    const manager = new WorkerManager<WorkerDeps>({ redisUrl: testRedisUrl(), prefix, logger: options.logger ?? logger, deps, defaultConcurrency: 1 });
    // The handler's clock is the GlitchTip fake's: which of GlitchTip's per-issue stats still cover a day depends on it.
    await manager.start([(options.handler ?? createDailyReportHandler({ now: () => now }))], [dailyReport.name], queueNames);
    const queue = new Queue(dailyReport.name, { connection: producerConnection, prefix });
    closers.push(async () => {
      await manager.close(10_000);
      await queue.close();
      await producer.close();
    });
    return { prefix, producer, queue, manager };
  }

  const finished = (queue: Queue, jobId: string) =>
    waitFor(async () => {
      const job = await queue.getJob(jobId);
      return job?.finishedOn ? job : undefined;
    }, { what: `report job ${jobId} finished`, timeoutMs: 30_000 });

  const messagesFor = (date: string) => telegram.messagesIn(chatId).filter((message) => (message.text ?? message.caption ?? '').includes(date));
  const fastRetry = { backoff: { type: 'fixed', delay: 50 } } as const;

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
    await glitchtip.start();
    await telegram.start();
    const seed = (id: number, component: string, events: Array<[string, number]>, firstSeen?: string) =>
      glitchtip.seedIssue({
        id,
        title: `Error: failure ${id}`,
        count: events.reduce((sum, [, count]) => sum + count, 0),
        firstSeen: firstSeen ?? events[0]![0],
        lastSeen: events[events.length - 1]![0],
        tags: { component },
        hourly: events.map(([at, count]) => [new Date(at), count]),
      });
    // Three days with errors (17, 18, 19 June); the 10th has none.
    seed(301, 'payments', [['2026-06-17T10:00:00Z', 4], ['2026-06-18T10:00:00Z', 3], ['2026-06-19T10:00:00Z', 12]], '2026-06-01T00:00:00Z');
    seed(302, 'auth', [['2026-06-18T11:00:00Z', 9], ['2026-06-19T11:00:00Z', 6]]);
    seed(303, 'search', [['2026-06-15T09:00:00Z', 2]]);
    seed(304, 'mail', [['2026-06-14T09:00:00Z', 1]]);
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    producerConnection.disconnect();
    redis.disconnect();
    await handle.close();
    await database.drop();
    await telegram.stop();
    await glitchtip.stop();
  });

  it('the scheduler exists once after two worker starts, with DAILY_REPORT_CRON in REPORT_TZ', async () => {
    const env = { DAILY_REPORT_CRON: '30 8 * * 1-5', REPORT_TZ: 'Europe/Berlin' };
    const first = await startWorker({ env });
    await startWorker({ prefix: first.prefix, env });
    const schedulers = await first.queue.getJobSchedulers();
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    expect(schedulers.sort(byKey).map((scheduler) => [scheduler.key, scheduler.pattern ?? scheduler.every, scheduler.tz ?? null])).toEqual([
      [issueHoursSchedulerId, issueHoursEveryMs, null],
      [dailyReportSchedulerId, '30 8 * * 1-5', 'Europe/Berlin'],
    ]);
    // Two starts upsert the scheduler twice: still exactly one next run waits for the cron time.
    const delayed = await first.queue.getJobs(['delayed', 'waiting', 'prioritized']);
    expect(delayed.filter((job) => job.repeatJobKey === dailyReportSchedulerId)).toHaveLength(1);
    await first.manager.close(5_000);
  });

  it('sends the chart (a PNG of the expected size) and the text once; a second job for the day sends nothing', async () => {
    const worker = await startWorker();
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-19' });
    const done = await finished(worker.queue, job.id!);
    expect(done.returnvalue).toMatchObject({ action: 'sent', date: '2026-06-19' });
    const [photo, text] = messagesFor('2026-06-19');
    expect(photo?.photo).toMatchObject({ width: 800, height: 400 });
    expect(text?.text).toContain('Events: 18 (+6, +50% vs the day before)');
    expect(text?.text).toContain('🔴 P1 payments — 12 events, 1 issue');
    expect(text?.text).toContain('/investigate 301');
    // Built once: the chart's and the text's short wait for the chat budget is taken in the job, not by running it again.
    expect(glitchtip.requests.filter((request) => request.path.endsWith('/stats_v2/') && request.query.get('start') === '2026-06-18T00:00:00.000Z')).toHaveLength(1);
    const again = await worker.producer.enqueue(dailyReport, { date: '2026-06-19' });
    expect((await finished(worker.queue, again.id!)).returnvalue).toMatchObject({ action: 'already-sent' });
    expect(messagesFor('2026-06-19')).toHaveLength(2);
    const audits = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'daily-report'));
    expect(audits.filter((row) => (row.details as { date?: string }).date === '2026-06-19')).toHaveLength(1);
  });

  it('a retried report job sends once: the chart is not sent again and the text goes out on the retry', async () => {
    const worker = await startWorker();
    telegram.inject.failNext(1, 500, 'Internal Server Error', { method: 'sendMessage' });
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-18' }, fastRetry);
    const done = await finished(worker.queue, job.id!);
    expect(done.attemptsMade).toBe(2);
    const sent = messagesFor('2026-06-18');
    expect(sent.filter((message) => message.photo)).toHaveLength(1);
    expect(sent.filter((message) => message.text)).toHaveLength(1);
    const [row] = await handle.db.select().from(dailyReportDeliveries).where(eq(dailyReportDeliveries.date, '2026-06-18'));
    expect(row).toMatchObject({ status: 'sent', messageId: sent.find((message) => message.text)!.message_id });
  });

  it('two workers given the same day send it once; the other job waits for the claim to go stale without spending an attempt', async () => {
    const first = await startWorker();
    await startWorker({ prefix: first.prefix });
    const jobs = await Promise.all([1, 2].map(() => first.queue.add(dailyReport.name, { date: '2026-06-17', dryRun: false, collectHours: false }, { attempts: 5, ...fastRetry })));
    // Usually both run at once and one finds the claim busy; on a slow machine the second may start after the first sent.
    const settled = await waitFor(async () => {
      const found = await Promise.all(jobs.map((job) => first.queue.getJob(job.id!)));
      const states = await Promise.all(jobs.map((job) => first.queue.getJobState(job.id!)));
      return states.every((state) => state === 'completed' || state === 'delayed') && states.includes('completed') ? found.map((job, index) => ({ job: job!, state: states[index] })) : undefined;
    }, { what: 'one report job sent, the other delayed or done', timeoutMs: 30_000 });
    const actions = settled.filter(({ state }) => state === 'completed').map(({ job }) => (job.returnvalue as { action: string }).action);
    expect(actions.filter((action) => action === 'sent')).toHaveLength(1);
    const waiting = settled.find(({ state }) => state === 'delayed')?.job;
    if (waiting) {
      expect(waiting.attemptsMade).toBe(0);
      const [row] = await handle.db.select().from(dailyReportDeliveries).where(eq(dailyReportDeliveries.date, '2026-06-17'));
      // BullMQ scores a delayed job by its due time (ms) times 4096 plus a counter.
      const lookAgainAt = Math.floor(Number(await redis.zscore(`${first.prefix}:${dailyReport.name}:delayed`, waiting.id!)) / 4096);
      expect(lookAgainAt).toBeGreaterThanOrEqual(row!.claimedAt!.getTime() + staleClaimMs);
      expect(lookAgainAt).toBeLessThan(row!.claimedAt!.getTime() + staleClaimMs + 5_000);
    } else {
      expect(actions.sort()).toEqual(['already-sent', 'sent']);
    }
    expect(messagesFor('2026-06-17').filter((message) => message.text)).toHaveLength(1);
  });

  it('a claim held by a worker that died before sending the text: the job waits for it to go stale (no attempt spent) and sends once', async () => {
    const worker = await startWorker();
    await handle.db.insert(dailyReportDeliveries).values({ date: '2026-06-07', chatId: String(chatId), status: 'sending', claimedAt: new Date(Date.now() - staleClaimMs + 2_000) });
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-07' }, { attempts: 1 });
    const done = await finished(worker.queue, job.id!);
    expect(done.returnvalue).toMatchObject({ action: 'sent' });
    expect(done.attemptsMade).toBe(1);
    expect(messagesFor('2026-06-07').map((message) => message.text)).toEqual(['✅ No errors yesterday — 2026-06-07 UTC.']);
    const [row] = await handle.db.select().from(dailyReportDeliveries).where(eq(dailyReportDeliveries.date, '2026-06-07'));
    expect(row).toMatchObject({ status: 'sent' });
    expect(row!.textSendingAt).not.toBeNull();
  });

  it('a claim whose worker died while sending the text is never sent again, and raises one ops alert', async () => {
    const worker = await startWorker();
    const longAgo = new Date(Date.now() - staleClaimMs - 60_000);
    await handle.db.insert(dailyReportDeliveries).values({ date: '2026-06-06', chatId: String(chatId), status: 'sending', claimedAt: longAgo, textSendingAt: longAgo });
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-06' });
    expect((await finished(worker.queue, job.id!)).returnvalue).toMatchObject({ action: 'outcome-unknown' });
    expect(messagesFor('2026-06-06')).toHaveLength(0);
    const again = await worker.producer.enqueue(dailyReport, { date: '2026-06-06' });
    expect((await finished(worker.queue, again.id!)).returnvalue).toMatchObject({ action: 'outcome-unknown' });
    const ops = new Queue(opsAlert.name, { connection: producerConnection, prefix: worker.prefix });
    const raised = await ops.getJobs(['waiting', 'prioritized', 'delayed']);
    await ops.close();
    expect(raised.map((alert) => (alert.data as OpsAlertPayload).title)).toEqual(['daily report for 2026-06-06: delivery outcome unknown']);
  });

  it('a chart that fails to render still lets the text go out, and the failure is logged', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const failing = createDailyReportHandler({ now: () => now, renderChart: () => Promise.reject(new Error('resvg exploded')) });
    const worker = await startWorker({ handler: failing, logger: createLogger({ name: 'chart-fails', level: 'info', pretty: false, destination }) });
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-15' });
    const done = await finished(worker.queue, job.id!);
    expect(done.returnvalue).toMatchObject({ action: 'sent' });
    const sent = messagesFor('2026-06-15');
    expect(sent.map((message) => Boolean(message.photo))).toEqual([false]);
    expect(sent[0]?.text).toContain('Events: 2');
    expect(logs.some((line) => line.msg === 'the report chart could not be rendered; sending the text alone' && JSON.stringify(line).includes('resvg exploded'))).toBe(true);
  });

  it('a chart Telegram refuses (IMAGE_PROCESS_FAILED) is logged, never retried, and the text still goes out', async () => {
    const worker = await startWorker();
    telegram.inject.failNext(1, 400, 'Bad Request: IMAGE_PROCESS_FAILED', { method: 'sendPhoto' });
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-14' });
    const done = await finished(worker.queue, job.id!);
    expect(done.returnvalue).toMatchObject({ action: 'sent' });
    expect(messagesFor('2026-06-14').map((message) => Boolean(message.photo))).toEqual([false]);
    expect(telegram.callsTo('sendPhoto').filter((call) => String(call.params.caption).includes('2026-06-14'))).toHaveLength(1);
  });

  it('a report Telegram took whose bookkeeping failed is finished from the Redis record, never sent again', async () => {
    const worker = await startWorker();
    await recordDelivery(redis, worker.prefix, [`daily-report:2026-06-13:${chatId}`], { messageId: 4242, chatId: String(chatId) });
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-13' });
    expect((await finished(worker.queue, job.id!)).returnvalue).toMatchObject({ action: 'already-sent' });
    expect(messagesFor('2026-06-13')).toHaveLength(0);
    const [row] = await handle.db.select().from(dailyReportDeliveries).where(eq(dailyReportDeliveries.date, '2026-06-13'));
    expect(row).toMatchObject({ status: 'sent', messageId: 4242 });
  });

  it('an empty day sends one line, or nothing with REPORT_SKIP_EMPTY=true', async () => {
    const worker = await startWorker();
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-10' });
    expect((await finished(worker.queue, job.id!)).returnvalue).toMatchObject({ action: 'sent' });
    expect(messagesFor('2026-06-10').map((message) => message.text)).toEqual(['✅ No errors yesterday — 2026-06-10 UTC.']);
    const skipping = await startWorker({ env: { REPORT_SKIP_EMPTY: 'true' } });
    const skipped = await skipping.producer.enqueue(dailyReport, { date: '2026-06-09' });
    expect((await finished(skipping.queue, skipped.id!)).returnvalue).toMatchObject({ action: 'skipped-empty' });
    expect(messagesFor('2026-06-09')).toHaveLength(0);
  });

  it('the 30-minute collection keeps the hourly counts of the issues seen in the last 24 h', async () => {
    const worker = await startWorker({ handler: createDailyReportHandler({ now: () => now }) });
    const job = await worker.producer.enqueue(dailyReport, { collectHours: true });
    expect((await finished(worker.queue, job.id!)).returnvalue).toMatchObject({ action: 'hours-kept', complete: true });
    const rows = await handle.db.select().from(issueHourEvents).where(eq(issueHourEvents.issueId, '301'));
    // The fake's clock is 2026-06-20T09:00Z: only the 19 June 10:00 hour is inside GlitchTip's 24 h.
    expect(rows.map((row) => [row.hour.toISOString(), row.events])).toEqual([['2026-06-19T10:00:00.000Z', 12]]);
  });

  it('DISABLE_DAILY_METRICS=true: no schedulers, and a scheduled run does nothing', async () => {
    const worker = await startWorker({ env: { DISABLE_DAILY_METRICS: 'true' } });
    expect(await worker.queue.getJobSchedulers()).toEqual([]);
    const job = await worker.producer.enqueue(dailyReport, {});
    expect((await finished(worker.queue, job.id!)).returnvalue).toEqual({ action: 'disabled' });
  });

  it('GLITCHTIP_INTEGRATION_ENABLED=false: no GlitchTip call, no hour collection; the report says its figures are missing', async () => {
    const requests = glitchtip.requests.length;
    const worker = await startWorker({ env: { GLITCHTIP_INTEGRATION_ENABLED: 'false' } });
    expect((await worker.queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual([dailyReportSchedulerId]);
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-12' });
    expect((await finished(worker.queue, job.id!)).returnvalue).toMatchObject({ action: 'sent' });
    expect(messagesFor('2026-06-12').find((message) => message.text)?.text).toContain('GlitchTip figures unavailable: GLITCHTIP_INTEGRATION_ENABLED=false.');
    expect(glitchtip.requests.length).toBe(requests);
  });

  it('DRY_RUN sends nothing and logs the report', async () => {
    const worker = await startWorker({ env: { DRY_RUN: 'true' } });
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-08' });
    expect((await finished(worker.queue, job.id!)).returnvalue).toMatchObject({ action: 'dry-run' });
    expect(messagesFor('2026-06-08')).toHaveLength(0);
  });

  it('GlitchTip failing: earlier attempts retry, the last one sends Triage\'s own figures saying GlitchTip\'s are missing', async () => {
    const worker = await startWorker();
    // From here on stats_v2 always fails (this test runs last): each attempt's first GlitchTip call.
    glitchtip.inject.failMatching({ method: 'GET', path: /\/stats_v2\/$/, status: 503 });
    const job = await worker.producer.enqueue(dailyReport, { date: '2026-06-11' }, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    const done = await finished(worker.queue, job.id!);
    // The first attempt failed on GlitchTip; the second, the last, sent what Triage knows.
    expect(done.attemptsMade).toBe(2);
    expect(glitchtip.requests.filter((request) => request.path.endsWith('/stats_v2/') && request.query.get('start') === '2026-06-10T00:00:00.000Z').length).toBeGreaterThanOrEqual(2);
    expect(done.returnvalue).toMatchObject({ action: 'sent' });
    expect(messagesFor('2026-06-11').find((message) => message.text)?.text).toMatch(/GlitchTip figures unavailable: .*503/);
  });
});
