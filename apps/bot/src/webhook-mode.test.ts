import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findFreePort } from '@triage/embedded';
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

// The bot process in webhook mode: it registers its URL with Telegram and accepts only updates carrying the secret.
describe('bot in webhook mode', () => {
  const botToken = '515151:WEBHOOK-token-abcdefghijklmnopqrstuv';
  const secret = 'webhook-secret-0123456789';
  const chatId = -100888;
  const prefix = uniquePrefix('botwh');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  let database: TestDatabase;
  let bot: StartedProcess;
  let worker: StartedProcess;
  let port: number;

  const postUpdate = (update: unknown, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${port}/telegram/updates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(update),
    });

  const helpUpdate = (updateId: number) => ({
    update_id: updateId,
    message: {
      message_id: 1000 + updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'supergroup', title: 'ops' },
      from: { id: 77, is_bot: false, first_name: 'Ana' },
      text: '/help',
      entities: [{ type: 'bot_command', offset: 0, length: 5 }],
    },
  });

  beforeAll(async () => {
    await telegram.start();
    database = await createTestDatabase();
    port = await findFreePort();
    // The bot only enqueues; its replies (here /help) are sent by a worker through the shared pacer.
    worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'bot-command'], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: '77',
    });
    bot = startTsProcess('apps/bot/src/main.ts', [], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: '77',
      TELEGRAM_WEBHOOK_URL: 'https://triage.example.com/telegram/updates',
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_WEBHOOK_PORT: String(port),
    });
    await Promise.all([bot.waitForOutput('bot started (webhook)'), worker.waitForOutput('worker started')]);
  }, 60_000);

  afterAll(async () => {
    bot?.kill('SIGTERM');
    worker?.kill('SIGTERM');
    await Promise.all([bot?.exited, worker?.exited]);
    await database?.drop();
    await telegram.stop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('registers its webhook URL with Telegram', () => {
    expect(telegram.webhookUrl).toBe('https://triage.example.com/telegram/updates');
    const setWebhook = telegram.callsTo('setWebhook').at(-1)!;
    expect(setWebhook.params.secret_token).toBe(secret);
  });

  it('refuses an update without the secret header, and answers one that carries it', async () => {
    const before = telegram.messagesIn(chatId).length;
    const forged = await postUpdate(helpUpdate(1), {});
    expect(forged.status).toBeGreaterThanOrEqual(400);
    const wrong = await postUpdate(helpUpdate(2), { 'X-Telegram-Bot-Api-Secret-Token': 'not-the-secret-at-all' });
    expect(wrong.status).toBeGreaterThanOrEqual(400);

    const genuine = await postUpdate(helpUpdate(3), { 'X-Telegram-Bot-Api-Secret-Token': secret });
    expect(genuine.status).toBe(200);
    const reply = await waitFor(() => telegram.messagesIn(chatId).slice(before).find((message) => message.text?.includes('/errors')), {
      what: 'the /help reply',
    });
    expect(reply.text).toContain('/resolve');
    // Only the genuine update was answered.
    expect(telegram.messagesIn(chatId).slice(before)).toHaveLength(1);
  });
});
