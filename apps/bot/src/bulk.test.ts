import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

// /bulk end to end: a user's command, the preview with its buttons, a stranger's press refused, the requester's Confirm.
describe('/bulk through the bot and a worker', () => {
  const botToken = '434343:BULKBOT-token-abcdefghijklmnopqrstu';
  const apiToken = 'b'.repeat(64);
  const chatId = -100778;
  const owner = 77;
  const stranger = 99;
  const prefix = uniquePrefix('bulkbot');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'] });
  let database: TestDatabase;
  let dataDir: string;
  let bot: StartedProcess;
  let worker: StartedProcess;

  const messageContaining = (text: string) => waitFor(() => telegram.messagesIn(chatId).find((message) => message.text?.includes(text)), { what: `a message with "${text}"`, timeoutMs: 20_000 });

  beforeAll(async () => {
    await Promise.all([telegram.start(), glitchtip.start()]);
    for (let index = 0; index < 4; index += 1) glitchtip.seedIssue({ title: `Deprecation warning ${index}`, level: 'warning' });
    glitchtip.seedIssue({ title: 'TypeError: cart is undefined', level: 'error' });
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bulk-bot-'));
    const env = {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: String(owner),
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
    };
    worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'bulk-preview,bulk-apply,bot-command'], env);
    bot = startTsProcess('apps/bot/src/main.ts', [], env);
    await Promise.all([worker.waitForOutput('worker started'), bot.waitForOutput('bot started (long polling)')]);
  }, 60_000);

  afterAll(async () => {
    bot?.kill('SIGTERM');
    worker?.kill('SIGTERM');
    await Promise.all([bot?.exited, worker?.exited]);
    await database?.drop();
    await Promise.all([telegram.stop(), glitchtip.stop()]);
    await clearPrefix(testRedisUrl(), prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a bad query with the reason, without asking GlitchTip', async () => {
    telegram.sendUserMessage({ chatId, fromUserId: owner, text: '/bulk resolve is:assigned' });
    await messageContaining('Query refused: is:assigned is not a status');
    expect(glitchtip.requests.filter((request) => request.path.endsWith('/issues/'))).toHaveLength(0);
  });

  it('previews, refuses a stranger, and ignores every matching issue on the requester\'s Confirm', async () => {
    telegram.sendUserMessage({ chatId, fromUserId: owner, text: '/bulk ignore level:warning' });
    const preview = await messageContaining('Ignore 4 issues?');
    const confirm = /"(b1\|c\|[^"]+)"/.exec(JSON.stringify(preview.reply_markup))![1]!;

    const strangerPress = telegram.pressButton({ chatId, messageId: preview.message_id, fromUserId: stranger, data: confirm });
    await waitFor(() => telegram.callbackQueries.get(strangerPress)?.answer, { what: "the stranger's press answered" });
    expect(telegram.callbackQueries.get(strangerPress)?.answer?.text).toBe('You are not allowed to do this.');

    const ownerPress = telegram.pressButton({ chatId, messageId: preview.message_id, fromUserId: owner, data: confirm });
    await messageContaining('✅ Ignored 4 issues');
    expect(telegram.callbackQueries.get(ownerPress)?.answer?.text).toContain('Confirmed');
    expect(glitchtip.issues.filter((issue) => issue.level === 'warning').every((issue) => issue.status === 'ignored')).toBe(true);
    expect(glitchtip.issues.find((issue) => issue.level === 'error')?.status).toBe('unresolved');
    expect(fs.readdirSync(path.join(dataDir, 'backups'))).toHaveLength(1);
  });
});
