import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { Queue } from 'bullmq';
import { issueAction } from '@triage/contracts';
import { createProducerConnection } from '@triage/queue';
import {
  clearPrefix,
  createTelegramFake,
  createTestDatabase,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';

/** Bot API methods that change something a person sees (or the bot's profile): the switch allows none of them. */
const writeMethods = ['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'answerCallbackQuery', 'setMyCommands', 'sendPhoto', 'deleteMessage'];

// The real bot process with GLITCHTIP_INTEGRATION_ENABLED=false, against the Telegram fake: presses are still handled
// (enqueued or refused and audited), and nothing is written to Telegram, not even the answer to a press.
describe('bot with GLITCHTIP_INTEGRATION_ENABLED=false', () => {
  const botToken = '434343:BOT-switch-abcdefghijklmnopqrstuvwxyz';
  const chatId = -100778;
  const allowedUser = 78;
  const strangerUser = 98;
  const prefix = uniquePrefix('botoff');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const connection = createProducerConnection(testRedisUrl());
  const actions = new Queue(issueAction.name, { connection, prefix });
  let database: TestDatabase;
  let sql: postgres.Sql;
  let bot: StartedProcess;
  let alertMessageId: number;
  let callsBeforeBot: number;

  beforeAll(async () => {
    await telegram.start();
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    // The alert a person presses under (sent while the switch was on; the test sends it as the worker would have).
    const sent = await fetch(`${telegram.url}/bot${botToken}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId, text: 'TypeError: cart is undefined', reply_markup: { inline_keyboard: [[{ text: 'Resolve', callback_data: 'v1|r|1042' }]] } }),
    }).then((response) => response.json() as Promise<{ result: { message_id: number } }>);
    alertMessageId = sent.result.message_id;
    callsBeforeBot = telegram.calls.length;
    bot = startTsProcess('apps/bot/src/main.ts', [], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: String(allowedUser),
      GLITCHTIP_INTEGRATION_ENABLED: 'false',
    });
    await bot.waitForOutput('bot started (long polling)');
  }, 60_000);

  afterAll(async () => {
    bot?.kill('SIGTERM');
    await bot?.exited;
    await actions.close();
    connection.disconnect();
    await sql?.end();
    await database?.drop();
    await telegram.stop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('handles presses (a refusal audited, an allowed press enqueued) without a single Telegram write', async () => {
    const refused = telegram.pressButton({ chatId, messageId: alertMessageId, fromUserId: strangerUser, data: 'v1|r|1042' });
    await waitFor(async () => (await sql`select 1 from audit_log where idempotency_key = ${`refused:${refused}`}`).length > 0, { what: 'the audited refusal' });

    const pressed = telegram.pressButton({ chatId, messageId: alertMessageId, fromUserId: allowedUser, data: 'v1|r|1042' });
    const job = await waitFor(async () => (await actions.getJobs(['waiting', 'delayed'])).find((candidate) => (candidate.data as { requestId: string }).requestId === pressed), {
      what: 'the resolve enqueued',
      timeoutMs: 20_000,
    });
    expect(job.data).toMatchObject({ action: 'resolve', issueId: '1042', source: 'button' });

    const writes = telegram.calls.slice(callsBeforeBot).filter((call) => writeMethods.some((method) => method.toLowerCase() === call.method.toLowerCase()));
    expect(writes.map((call) => call.method)).toEqual([]);
    expect(telegram.callbackQueries.get(refused)?.answer).toBeUndefined();
    expect(telegram.callbackQueries.get(pressed)?.answer).toBeUndefined();
  }, 60_000);
});
