import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { findFreePort } from '@triage/embedded';
import { investigate } from '@triage/contracts';
import { Producer, createProducerConnection } from '@triage/queue';
import {
  clearPrefix,
  createGlitchTipFake,
  createTelegramFake,
  createTestDatabase,
  createTestRepo,
  glitchtipContractDir,
  lines,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
  type TestRepo,
} from '@triage/testing';

const apiToken = 'f0e1d2c3'.repeat(8);
const webhookToken = 'e2e-investigation-token-0123456789';
const botToken = '727272:E2E-INVESTIGATION-abcdefghijklmn';
const chatId = -100555;
const userId = 4242;

/**
 * The investigation end to end with real processes: GlitchTip webhook -> ingress -> alert worker -> Telegram alert;
 * the investigate worker (its own role) -> a GlitchTip comment naming the commit and file -> the alert's summary line
 * and a summary with vote buttons; a press in Telegram -> bot -> investigation-vote -> the vote on the row.
 */
describe('investigation, end to end', () => {
  const prefix = uniquePrefix('e2einv');
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'], org: 'acme' });
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  let repo: TestRepo;
  let culprit: string;
  let database: TestDatabase;
  let sql: postgres.Sql;
  const processes: StartedProcess[] = [];
  let ingressUrl: string;

  beforeAll(async () => {
    repo = await createTestRepo('e2e');
    await repo.commit({ 'src/orders/render.ts': lines(80), 'src/orders/api.ts': lines(40) }, 'orders: first version', '2026-01-05T00:00:00Z', 'Old');
    culprit = await repo.commit({ 'src/orders/render.ts': lines(80, { 42: 'return props.orders.map(renderRow)' }) }, 'orders: render rows from props', '2026-03-20T00:00:00Z', 'Ana');
    await repo.git('tag', 'web@5.0.2');
    await repo.commit({ 'src/orders/api.ts': lines(40, { 7: '// retry' }) }, 'orders api: retry', '2026-03-25T00:00:00Z', 'Bo');

    await Promise.all([glitchtip.start(), telegram.start()]);
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    const port = await findFreePort();
    ingressUrl = `http://127.0.0.1:${port}`;
    glitchtip.seedProjectAlert('web-frontend', { quantity: 1, timespanMinutes: 1 });
    glitchtip.seedIssue({
      id: 2210,
      project: { slug: 'web-frontend', name: 'Web Frontend' },
      title: "TypeError: Cannot read properties of undefined (reading 'map')",
      culprit: 'renderOrders(/static/js/orders.js)',
      firstSeen: '2026-03-28T10:00:00Z',
      lastSeen: new Date(),
      tags: { environment: 'production' },
    });
    glitchtip.seedEvent(2210, {
      tags: { environment: 'production', release: 'web@5.0.2' },
      exceptions: [
        {
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'map')",
          frames: [
            { filename: 'node_modules/react-dom/index.js', function: 'commitRoot', lineno: 10, in_app: false },
            { filename: 'webpack:///./src/orders/render.ts', function: 'renderOrders', lineno: 42, in_app: true },
          ],
        },
      ],
    });
    const env = {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      GLITCHTIP_ORG: 'acme',
      WEBHOOK_TOKEN: webhookToken,
      PORT: String(port),
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: String(userId),
      REPO_PATH: repo.root,
      REPO_WEB_URL: 'https://git.example.com/acme/web',
    };
    processes.push(
      startTsProcess('apps/ingress/src/main.ts', [], env),
      startTsProcess('apps/worker/src/main.ts', ['--queues', 'process-alert,send-alert,issue-action,bot-command'], env),
      startTsProcess('apps/worker/src/main.ts', ['--queues', 'investigate,investigation-vote,investigation-summary,fetch-repos'], env),
      startTsProcess('apps/bot/src/main.ts', [], env),
    );
    const [ingress, alertsWorker, investigateWorker, bot] = processes;
    await Promise.all([
      ingress!.waitForOutput('ingress listening'),
      alertsWorker!.waitForOutput('worker started'),
      investigateWorker!.waitForOutput('worker started'),
      bot!.waitForOutput('bot started (long polling)'),
    ]);
  }, 90_000);

  afterAll(async () => {
    for (const child of processes) child.kill('SIGTERM');
    await Promise.all(processes.map((child) => child.exited));
    await sql?.end();
    await database?.drop();
    await Promise.all([glitchtip.stop(), telegram.stop()]);
    await clearPrefix(testRedisUrl(), prefix);
    repo?.remove();
  });

  it('webhook -> alert -> comment naming the commit and file -> Telegram summary -> a stored vote', async () => {
    const body = fs.readFileSync(path.join(glitchtipContractDir, 'webhook_issue_alert_generic_single.json'), 'utf8');
    const response = await fetch(`${ingressUrl}/api/glitchtip-webhook?token=${webhookToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(202);

    const alert = await waitFor(() => telegram.messagesIn(chatId).find((message) => message.text?.includes("reading 'map'")), { what: 'the alert message', timeoutMs: 30_000 });

    const comment = await waitFor(() => glitchtip.commentsOf(2210)[0], { what: 'the investigation comment', timeoutMs: 30_000 });
    expect(comment.text).toContain('Triage investigation');
    expect(comment.text).toContain(`[${culprit.slice(0, 12)}](https://git.example.com/acme/web/commit/${culprit})`);
    expect(comment.text).toContain('src/orders/render.ts:42');
    expect(comment.text).toContain('web@5.0.2');

    const summary = await waitFor(() => telegram.messagesIn(chatId).find((message) => message.text?.includes('Investigation of issue 2210')), { what: 'the summary message', timeoutMs: 30_000 });
    expect(summary.text).toContain(`suspect ${culprit.slice(0, 8)}`);
    expect(summary.text).toContain('file src/orders/render.ts:42');
    const edited = await waitFor(() => telegram.messagesIn(chatId).find((message) => message.message_id === alert.message_id && message.text?.includes('Investigation:')), { what: 'the alert edited with the summary', timeoutMs: 30_000 });
    expect(edited.text).toContain(culprit.slice(0, 8));

    const helpful = summary.reply_markup!.inline_keyboard.flat().find((button) => button.text.includes('Helpful'))!;
    telegram.pressButton({ chatId, messageId: summary.message_id, fromUserId: userId, data: helpful.callback_data! });
    const [row] = await waitFor(async () => {
      const rows = await sql`select vote, voted_by, status, comment_id from investigations where issue_id = '2210' and vote is not null`;
      return rows.length > 0 ? rows : undefined;
    }, { what: 'the stored vote', timeoutMs: 30_000 });
    expect(row).toMatchObject({ vote: 'helpful', voted_by: `telegram:${userId}`, status: 'done', comment_id: String(comment.id) });
    expect(glitchtip.commentsOf(2210)).toHaveLength(1);
  }, 120_000);
});

/** Webhook-only mode (no GlitchTip API): the Investigate request works from what the webhook said, the culprit. */
describe('investigation without the GlitchTip API', () => {
  const prefix = uniquePrefix('e2einvw');
  let repo: TestRepo;
  let database: TestDatabase;
  let sql: postgres.Sql;
  const processes: StartedProcess[] = [];
  let ingressUrl: string;

  beforeAll(async () => {
    repo = await createTestRepo('e2e-webhook-only');
    await repo.commit({ 'web/static/js/orders.ts': lines(30, { 5: 'export function renderOrders(props) { return props.orders.map(row); }' }) }, 'orders page', '2026-03-01T00:00:00Z', 'Ana');
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    const port = await findFreePort();
    ingressUrl = `http://127.0.0.1:${port}`;
    const env = { REDIS_URL: testRedisUrl(), DATABASE_URL: database.url, QUEUE_PREFIX: prefix, WEBHOOK_TOKEN: webhookToken, PORT: String(port), TELEGRAM_BOT_TOKEN: '', REPO_PATH: repo.root };
    processes.push(startTsProcess('apps/ingress/src/main.ts', [], env), startTsProcess('apps/worker/src/main.ts', [], env));
    await Promise.all([processes[0]!.waitForOutput('ingress listening'), processes[1]!.waitForOutput('worker started')]);
  }, 90_000);

  afterAll(async () => {
    for (const child of processes) child.kill('SIGTERM');
    await Promise.all(processes.map((child) => child.exited));
    await sql?.end();
    await database?.drop();
    await clearPrefix(testRedisUrl(), prefix);
    repo?.remove();
  });

  it('maps the webhook culprit to the repository file and records the run', async () => {
    const body = fs.readFileSync(path.join(glitchtipContractDir, 'webhook_issue_alert_generic_single.json'), 'utf8');
    const response = await fetch(`${ingressUrl}/api/glitchtip-webhook?token=${webhookToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(202);
    await waitFor(async () => (await sql`select 1 from alerts where issue_id = '2210'`).length > 0 || undefined, { what: 'the recorded alert', timeoutMs: 30_000 });
    const connection = createProducerConnection(testRedisUrl());
    const producer = new Producer({ connection, prefix });
    await producer.enqueue(investigate, { issueId: '2210', requestedBy: 'test', force: true });
    await producer.close();
    connection.disconnect();
    const [run] = await waitFor(async () => {
      const rows = await sql`select status, comment_id, result from investigations where issue_id = '2210' and finished_at is not null`;
      return rows.length > 0 ? rows : undefined;
    }, { what: 'the investigation run', timeoutMs: 30_000 });
    expect(run).toMatchObject({ status: 'done', comment_id: null });
    const result = run!.result as { framesSource: string; mapping: Array<{ file: string | null; function: string | null }> };
    expect(result.framesSource).toBe('culprit');
    expect(result.mapping[0]).toMatchObject({ file: 'web/static/js/orders.ts', function: 'renderOrders' });
  }, 90_000);
});
