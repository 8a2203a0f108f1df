import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import postgres from 'postgres';
import { processAlert } from '@triage/contracts';
import { Producer, createProducerConnection } from '@triage/queue';
import {
  clearPrefix,
  createGlitchTipFake,
  createTelegramFake,
  createTestDatabase,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';

// The Acknowledge button end to end: on the alert, pressed, the message says who is on it, the episode records when.
describe('Acknowledge through the bot and a worker', () => {
  const botToken = '454545:ACK-token-abcdefghijklmnopqrstuvwxyz';
  const apiToken = 'c'.repeat(64);
  const chatId = -100779;
  const owner = 77;
  const prefix = uniquePrefix('ack');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'] });
  let database: TestDatabase;
  let sql: postgres.Sql;
  let bot: StartedProcess;
  let worker: StartedProcess;

  beforeAll(async () => {
    await Promise.all([telegram.start(), glitchtip.start()]);
    glitchtip.seedIssue({ id: 2042, title: 'TimeoutError: payment gateway', level: 'error' });
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    const env = {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: String(owner),
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      DISABLE_INVESTIGATION_HELPER: 'true',
      DISABLE_RUNBOOK_LINKER: 'true',
    };
    worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'process-alert,send-alert,issue-action'], env);
    bot = startTsProcess('apps/bot/src/main.ts', [], env);
    await Promise.all([worker.waitForOutput('worker started'), bot.waitForOutput('bot started (long polling)')]);
  }, 60_000);

  afterAll(async () => {
    bot?.kill('SIGTERM');
    worker?.kill('SIGTERM');
    await Promise.all([bot?.exited, worker?.exited]);
    await sql?.end();
    await database?.drop();
    await Promise.all([telegram.stop(), glitchtip.stop()]);
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('offers Acknowledge, and after the press the alert says who is on it and the button is gone', async () => {
    const connection = createProducerConnection(testRedisUrl());
    const producer = new Producer({ connection, prefix });
    await producer.enqueue(processAlert, {
      kind: 'issue',
      source: 'webhook',
      receivedAt: new Date().toISOString(),
      issueId: '2042',
      title: 'TimeoutError: payment gateway',
      culprit: 'payments.charge',
      url: `${glitchtip.url}/acme/issues/2042`,
      orgSlug: 'acme',
      levelHint: 'error',
      project: 'Backend',
      environment: 'production',
      release: null,
      serverName: null,
      shortId: null,
      extraTags: {},
    });
    await producer.close();
    connection.disconnect();
    const alert = await waitFor(() => telegram.messagesIn(chatId).find((message) => message.text?.includes('TimeoutError: payment gateway') && message.reply_markup), {
      what: 'the alert with its buttons',
      timeoutMs: 30_000,
    });
    const firstRow = alert.reply_markup!.inline_keyboard[0]!;
    expect(firstRow[0]).toMatchObject({ text: '👀 Acknowledge', callback_data: 'v1|a|2042' });

    const pressed = telegram.pressButton({ chatId, messageId: alert.message_id, fromUserId: owner, data: 'v1|a|2042' });
    await waitFor(() => telegram.callbackQueries.get(pressed)?.answer, { what: 'the callback answer' });
    const edited = await waitFor(
      () => telegram.messagesIn(chatId).find((message) => message.message_id === alert.message_id && message.text?.includes('👀 Acknowledged by')),
      { what: 'the alert edited to say who is on it', timeoutMs: 20_000 },
    );
    expect(JSON.stringify(edited.reply_markup)).not.toContain('v1|a|2042');
    expect(JSON.stringify(edited.reply_markup)).toContain('v1|r|2042');
    const [episode] = await sql`select state, first_action, acknowledged_at is not null as acknowledged from episodes where issue_id = '2042'`;
    expect(episode).toEqual({ state: 'acknowledged', first_action: 'acknowledge', acknowledged: true });
    const [audit] = await sql`select actor, result from audit_log where action = 'issue.acknowledge'`;
    expect(audit).toEqual({ actor: `telegram:${owner}`, result: 'ok' });
  });
});
