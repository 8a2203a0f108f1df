import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Queue } from 'bullmq';
import postgres from 'postgres';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { holdoutGroupOf, recordOutcomeEvent } from '@triage/outcomes';
import { Producer, createProducerConnection } from '@triage/queue';
import { reviewWeeks } from '@triage/reports';
import {
  clearPrefix,
  createTelegramFake,
  createTestDatabase,
  startWorkerProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';
import { weeklyReviewJob } from '@triage/contracts';

describe('weekly-review in a worker process', () => {
  const botToken = '616161:REVIEW-token-abcdefghijklmnopqrstuv';
  const defaultChat = -100500;
  const opsChat = -100501;
  const prefix = uniquePrefix('review');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: defaultChat, type: 'supergroup' }, { id: opsChat, type: 'supergroup' }] });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let sql: postgres.Sql;
  let worker: StartedProcess;

  beforeAll(async () => {
    await telegram.start();
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
    sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    // Last whole week: a dozen issues per group, the control group slower.
    const [lastWeek] = reviewWeeks(new Date(), 1, 'UTC');
    for (let index = 0; index < 30; index += 1) {
      const issueId = String(70_000 + index);
      const at = new Date(lastWeek!.start.getTime() + index * 4 * 3_600_000);
      const minutes = holdoutGroupOf(issueId, 50) === 'control' ? 20 + (index % 6) : 6 + (index % 4);
      await recordOutcomeEvent(handle.db, { type: 'alerted', issueId, at, regression: false, holdoutPercent: 50 });
      await recordOutcomeEvent(handle.db, { type: 'action', issueId, at: new Date(at.getTime() + minutes * 60_000), action: 'resolve', actor: '@ana' });
    }
    worker = await startWorkerProcess({
      queues: ['weekly-review'],
      redisUrl: testRedisUrl(),
      databaseUrl: database.url,
      prefix,
      telegram: { url: telegram.url, botToken, chatId: defaultChat },
      env: { OPS_CHAT_ID: String(opsChat), EXPERIMENT_HOLDOUT_PERCENT: '50', REPORT_TZ: 'UTC' },
    });
  }, 60_000);

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await producer.close();
    connection.disconnect();
    await sql?.end();
    await handle?.close();
    await database?.drop();
    await telegram.stop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('registers the Monday 09:00 scheduler in REPORT_TZ', async () => {
    const queue = new Queue(weeklyReviewJob.name, { connection, prefix });
    const schedulers = await queue.getJobSchedulers();
    await queue.close();
    expect(schedulers.map((scheduler) => ({ key: scheduler.key, pattern: scheduler.pattern, tz: scheduler.tz }))).toEqual([{ key: 'weekly-review-v1', pattern: '0 9 * * 1', tz: 'UTC' }]);
  });

  it('sends the chart and the review to the ops chat, once per week', async () => {
    await producer.enqueue(weeklyReviewJob, { weeks: 1, dryRun: false });
    const text = await waitFor(() => telegram.messagesIn(opsChat).find((message) => message.text?.startsWith('Weekly review')), { what: 'the review text' });
    expect(text.text).toContain('Episodes: 30');
    expect(text.text).toContain('one-sided Welch p = ');
    const photos = telegram.messagesIn(opsChat).filter((message) => message.photo);
    expect(photos).toHaveLength(1);
    expect(telegram.messagesIn(defaultChat)).toHaveLength(0);

    const again = await producer.enqueue(weeklyReviewJob, { weeks: 1, dryRun: false });
    const queue = new Queue(weeklyReviewJob.name, { connection, prefix });
    await waitFor(async () => (await queue.getJobState(again.id!)) === 'completed' || undefined, { what: 'the second run' });
    await queue.close();
    expect(telegram.messagesIn(opsChat)).toHaveLength(2);
  });
});
