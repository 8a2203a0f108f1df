import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { Producer, createProducerConnection } from '@triage/queue';
import {
  clearPrefix,
  createGlitchTipFake,
  createTelegramFake,
  createTestDatabase,
  startWorkerProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';
import { bulkApply, bulkPreview, decodeBulkCallback, type BulkApplyPayload } from '@triage/contracts';

// The Telegram path of bulk actions in a real worker: /bulk's preview, then Confirm or Cancel presses.
describe('bulk-preview and bulk-apply in a worker process', () => {
  const botToken = '424242:BULK-token-abcdefghijklmnopqrstuvwxy';
  const apiToken = 'bulk-worker-token-0123456789abcdefghijklmn';
  const chatId = -100777;
  const owner = { userId: 77, username: 'ana' };
  const colleague = { userId: 78, username: 'bo' };
  const prefix = uniquePrefix('bulk');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read'] });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let database: TestDatabase;
  let sql: postgres.Sql;
  let worker: StartedProcess;
  let dataDir: string;
  let request = 0;

  const common = () => ({ chatId: String(chatId), requestId: `req-${(request += 1)}` });
  const messageContaining = (text: string) =>
    waitFor(() => telegram.messagesIn(chatId).find((message) => message.text?.includes(text)), { what: `a message with "${text}"` }).catch((error: Error) => {
      throw new Error(`${error.message}\nmessages: ${JSON.stringify(telegram.messagesIn(chatId).map((message) => message.text))}\nworker: ${worker.output().slice(-4000)}`);
    });

  async function preview(query: string, action: 'resolve' | 'ignore' = 'resolve'): Promise<string> {
    const fields = common();
    await producer.enqueue(bulkPreview, { action, query, actor: owner, ...fields });
    const message = await waitFor(
      () => telegram.messagesIn(chatId).find((candidate) => candidate.reply_markup && JSON.stringify(candidate.reply_markup).includes('b1|c|') && !seen.has(candidate.message_id)),
      { what: 'a bulk preview with a Confirm button' },
    );
    seen.add(message.message_id);
    const data = JSON.stringify(message.reply_markup);
    const decoded = decodeBulkCallback(/"(b1\|c\|[^"]+)"/.exec(data)![1]!);
    if ('error' in decoded) throw new Error(decoded.error);
    return decoded.operationId;
  }
  const seen = new Set<number>();

  const press = (operationId: string, actor: BulkApplyPayload['actor'], decision: 'confirm' | 'cancel' = 'confirm') =>
    producer.enqueue(bulkApply, { operationId, decision, actor, ...common() });

  beforeAll(async () => {
    await telegram.start();
    await glitchtip.start();
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bulk-worker-'));
    for (let index = 0; index < 12; index += 1) glitchtip.seedIssue({ title: `ConnectionError db-${index}`, level: 'error', tags: { environment: 'staging' } });
    for (let index = 0; index < 3; index += 1) glitchtip.seedIssue({ title: `Warning ${index}`, level: 'warning' });
    worker = await startWorkerProcess({
      queues: ['bulk-preview', 'bulk-apply'],
      redisUrl: testRedisUrl(),
      databaseUrl: database.url,
      prefix,
      telegram: { url: telegram.url, botToken, chatId },
      env: {
        DATA_DIR: dataDir,
        TELEGRAM_ALLOWED_USER_IDS: '77,78',
        GLITCHTIP_BASE_URL: glitchtip.url,
        GLITCHTIP_API_TOKEN: apiToken,
        GLITCHTIP_ORG: 'acme',
        BULK_MAX: '10',
      },
    });
  }, 45_000);

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await producer.close();
    connection.disconnect();
    await sql?.end();
    await database?.drop();
    await telegram.stop();
    await glitchtip.stop();
    await clearPrefix(testRedisUrl(), prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bulk over BULK_MAX from Telegram and points to the CLI', async () => {
    await producer.enqueue(bulkPreview, { action: 'resolve', query: 'level:error', actor: owner, ...common() });
    const reply = await messageContaining('More than 10 issues match');
    expect(reply.text).toContain('triage bulk resolve --query');
    expect(glitchtip.requests.filter((entry) => entry.method === 'PUT')).toHaveLength(0);
  });

  it("previews, refuses a colleague's confirm, then applies the requester's with a backup", async () => {
    const operationId = await preview('level:warning');
    const previewMessage = telegram.messagesIn(chatId).find((message) => message.text?.includes('Resolve 3 issues?'));
    expect(previewMessage?.text).toContain('Warning 0');

    await press(operationId, colleague);
    await messageContaining('Only the person who asked for this bulk action can confirm it.');
    expect(Object.values(glitchtip.statuses).filter((status) => status === 'resolved')).toHaveLength(0);
    const [refusal] = await sql`select result, details->>'reason' as reason from audit_log where actor = 'telegram:78' and action = 'bulk.confirm'`;
    expect(refusal).toEqual({ result: 'refused', reason: 'not the requester' });

    await press(operationId, owner);
    await messageContaining('✅ Resolved 3 issues');
    expect(glitchtip.issues.filter((issue) => issue.level === 'warning').every((issue) => issue.status === 'resolved')).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'backups', `bulk-${operationId}.json`))).toBe(true);
    const items = await sql`select prior_status from bulk_operation_items where operation_id = ${operationId}`;
    expect(items.map((item) => item.prior_status)).toEqual(['unresolved', 'unresolved', 'unresolved']);
  });

  it('refuses an expired preview and a stranger, writing nothing', async () => {
    const operationId = await preview('level:error environment:staging db-1');
    await sql`update bulk_operations set expires_at = now() - interval '1 second' where id = ${operationId}`;
    await press(operationId, owner);
    await messageContaining('This preview expired');
    const [row] = await sql`select state from bulk_operations where id = ${operationId}`;
    expect(row?.state).toBe('expired');

    await press(operationId, { userId: 999, username: 'stranger' });
    await waitFor(async () => (await sql`select 1 from audit_log where actor = 'telegram:999' and result = 'refused'`).length === 1, { what: "the stranger's refusal audited" });
    expect(glitchtip.issues.filter((issue) => issue.level === 'error').every((issue) => issue.status === 'unresolved')).toBe(true);
  });

  it('cancels a preview for its requester', async () => {
    const operationId = await preview('level:error environment:staging db-2', 'ignore');
    await press(operationId, owner, 'cancel');
    await messageContaining(`Bulk action ${operationId} cancelled`);
    const [row] = await sql`select state from bulk_operations where id = ${operationId}`;
    expect(row?.state).toBe('cancelled');
  });
});
