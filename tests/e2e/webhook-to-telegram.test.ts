import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { pollIssues } from '@triage/contracts';
import { findFreePort } from '@triage/embedded';
import { Producer, createProducerConnection } from '@triage/queue';
import {
  clearPrefix,
  createGlitchTipFake,
  createTelegramFake,
  createTestDatabase,
  glitchtipContractDir,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type FakeMessage,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';

/**
 * Issue 10: one test from a GlitchTip webhook through the real ingress, worker and bot processes to a Telegram message,
 * a button press, the change in GlitchTip and the edited message; and a resolve made in GlitchTip's own UI editing the
 * message through the poller.
 */
describe('webhook -> ingress -> worker -> Telegram -> button -> GlitchTip -> edited message', () => {
  const botToken = '515151:E2E-token-abcdefghijklmnopqrstuvwxyz';
  const apiToken = 'e2e0beef'.repeat(8);
  const webhookToken = 'e2e-webhook-to-telegram-token-0123';
  const chatId = -100515;
  const allowedUser = 51;
  const prefix = uniquePrefix('e2e-tg');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'], org: 'acme' });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let database: TestDatabase;
  let processes: StartedProcess[] = [];
  let ingressUrl: string;

  /** The single-issue example body, pointing at another issue. */
  const webhookBody = (issueId: number, title: string) => {
    const body = JSON.parse(fs.readFileSync(path.join(glitchtipContractDir, 'webhook_issue_alert_generic_single.json'), 'utf8')) as {
      attachments: Array<Record<string, unknown>>;
    };
    body.attachments[0] = { ...body.attachments[0], title, title_link: `${glitchtip.url}/acme/issues/${issueId}` };
    return JSON.stringify(body);
  };
  const postWebhook = (body: string) =>
    fetch(`${ingressUrl}/api/glitchtip-webhook?token=${webhookToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const alertMessage = (title: string) =>
    waitFor(() => telegram.messagesIn(chatId).find((message) => message.text?.includes(title) && message.reply_markup), {
      what: `the alert message for "${title}"`,
      timeoutMs: 30_000,
    });
  const editedMessage = (messageId: number, pattern: RegExp) =>
    waitFor(
      () => telegram.messagesIn(chatId).find((message: FakeMessage) => message.message_id === messageId && message.editCount > 0 && pattern.test(message.text ?? '')),
      { what: `message ${messageId} edited to match ${String(pattern)}`, timeoutMs: 30_000 },
    );

  beforeAll(async () => {
    await Promise.all([telegram.start(), glitchtip.start()]);
    glitchtip.seedProjectAlert('web-frontend', { quantity: 1, timespanMinutes: 1 });
    database = await createTestDatabase();
    const port = await findFreePort();
    ingressUrl = `http://127.0.0.1:${port}`;
    const env = {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      WEBHOOK_TOKEN: webhookToken,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: String(allowedUser),
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      GLITCHTIP_ORG: 'acme',
      DISABLE_INVESTIGATION_HELPER: 'true',
      DISABLE_RUNBOOK_LINKER: 'true',
    };
    const worker = startTsProcess('apps/worker/src/main.ts', [], env);
    const ingress = startTsProcess('apps/ingress/src/main.ts', [], env);
    const bot = startTsProcess('apps/bot/src/main.ts', [], env);
    processes = [worker, ingress, bot];
    await Promise.all([
      worker.waitForOutput('worker started'),
      ingress.waitForOutput('ingress listening'),
      bot.waitForOutput('bot started (long polling)'),
    ]);
    // The scheduler's first poll records the baseline; issues seeded after it are news.
    await worker.waitForOutput('poller baseline recorded');
  }, 90_000);

  afterAll(async () => {
    for (const started of processes) started.kill('SIGTERM');
    await Promise.all(processes.map((started) => started.exited));
    await producer.close();
    connection.disconnect();
    await database?.drop();
    await Promise.all([telegram.stop(), glitchtip.stop()]);
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('a webhook becomes a Telegram alert; Resolve resolves it in GlitchTip and edits the message', async () => {
    const title = 'TypeError: basket is undefined';
    glitchtip.seedIssue({ id: 6201, project: { slug: 'web-frontend', name: 'Web Frontend' }, title, count: 4 });
    const response = await postWebhook(webhookBody(6201, title));
    expect(response.status).toBe(202);

    const message = await alertMessage(title);
    const resolve = message.reply_markup!.inline_keyboard.flat().find((button) => button.text.includes('Resolve'));
    expect(resolve?.callback_data).toBe('v1|r|6201');
    const pressed = telegram.pressButton({ chatId, messageId: message.message_id, fromUserId: allowedUser, data: resolve!.callback_data! });

    await waitFor(() => telegram.callbackQueries.get(pressed)?.answer, { what: 'the button press answered' });
    await waitFor(() => glitchtip.statuses['6201'] === 'resolved' || undefined, { what: 'GlitchTip to show the issue resolved' });
    const edited = await editedMessage(message.message_id, /Resolved/);
    expect(edited.text).toContain(`user ${allowedUser}`);
    // One message for the alert: the change edited it in place.
    expect(telegram.messagesIn(chatId).filter((sent) => sent.text?.includes(title))).toHaveLength(1);
  });

  it('a resolve made in GlitchTip itself edits the message, through the poller', async () => {
    const title = 'RangeError: invalid page size';
    glitchtip.seedIssue({ id: 6202, project: { slug: 'web-frontend', name: 'Web Frontend' }, title, count: 2 });
    expect((await postWebhook(webhookBody(6202, title))).status).toBe(202);
    const message = await alertMessage(title);

    glitchtip.issue(6202)!.status = 'resolved';
    const queue = new Queue(pollIssues.name, { connection, prefix });
    try {
      const job = await producer.enqueue(pollIssues, { lookbackMinutes: 15 }, { jobId: `e2e-poll-${Date.now()}` });
      await waitFor(async () => ['completed', 'failed'].includes(await queue.getJobState(job.id!)) || undefined, { what: 'the poll to finish' });
      expect(await queue.getJobState(job.id!)).toBe('completed');
    } finally {
      await queue.close();
    }
    const edited = await editedMessage(message.message_id, /Resolved/);
    expect(edited.text).toContain('GlitchTip');
  });
});
