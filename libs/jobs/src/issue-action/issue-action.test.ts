import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Queue } from 'bullmq';
import postgres from 'postgres';
import { Producer, createProducerConnection } from '@triage/queue';
import {
  clearPrefix,
  createGlitchTipFake,
  createTelegramFake,
  createTestDatabase,
  startTsProcess, startWorkerProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';
import { issueAction, type IssueActionPayload } from '@triage/contracts';

// A worker process in webhook-only mode (no GlitchTip API): mutes, their expiry, reopen and investigate.
describe('issue-action in a worker process', () => {
  const botToken = '515151:ACTION-token-abcdefghijklmnopqrstuvw';
  const chatId = -100888;
  const prefix = uniquePrefix('act');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let database: TestDatabase;
  let sql: postgres.Sql;
  let worker: StartedProcess;
  let request = 0;

  const payload = (fields: Partial<IssueActionPayload> & Pick<IssueActionPayload, 'action'>): IssueActionPayload => ({
    issueId: '2001',
    actor: { userId: 77, username: 'alice' },
    chatId: String(chatId),
    source: 'command',
    requestId: `test-${(request += 1)}`,
    ...fields,
  });
  const replyContaining = (text: string) =>
    waitFor(() => telegram.messagesIn(chatId).find((message) => message.text?.includes(text)), { what: `a reply with "${text}"`, timeoutMs: 15_000 });

  beforeAll(async () => {
    await telegram.start();
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    worker = await startWorkerProcess({
      queues: ['issue-action'],
      redisUrl: testRedisUrl(),
      databaseUrl: database.url,
      prefix,
      telegram: { url: telegram.url, botToken, chatId },
      env: { TELEGRAM_ALLOWED_USER_IDS: '77' },
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
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('mutes: the alert row, an audit row, a reply, and a delayed unmute at the expiry', async () => {
    await sql`insert into alerts (issue_id, source, title, state) values ('2001', 'webhook', 'KeyError: user_id', 'open')`;
    const mute = payload({ action: 'mute', hours: 4 });
    await producer.enqueue(issueAction, mute);
    await replyContaining('🔕 Issue 2001 muted until');
    const [row] = await sql`select state, status_by, muted_until from alerts where issue_id = '2001'`;
    expect(row?.state).toBe('muted');
    expect(row?.status_by).toBe('@alice');
    expect(Math.abs((row?.muted_until as Date).getTime() - (Date.now() + 4 * 3_600_000))).toBeLessThan(60_000);
    const [audit] = await sql`select actor, action, target, result from audit_log where idempotency_key = ${`action:${mute.requestId}`}`;
    expect(audit).toEqual({ actor: 'telegram:77', action: 'issue.mute', target: 'triage', result: 'ok' });

    const queue = new Queue(issueAction.name, { connection, prefix });
    const expiry = await queue.getJob(`issue-action-mute-end-${mute.requestId}`);
    await queue.close();
    expect(expiry?.data).toMatchObject({ action: 'unmute', source: 'expiry', issueId: '2001' });
    expect(expiry!.opts.delay).toBeGreaterThan(4 * 3_600_000 - 60_000);
  });

  it('ends a mute that has expired with a "Mute ended" message, and leaves a later mute alone', async () => {
    await sql`update alerts set muted_until = now() + interval '2 hours' where issue_id = '2001'`;
    const stale = payload({ action: 'unmute', source: 'expiry' });
    const job = await producer.enqueue(issueAction, stale);
    const queue = new Queue(issueAction.name, { connection, prefix });
    await waitFor(async () => (await queue.getJobState(job.id!)) === 'completed' || undefined, { what: 'the stale expiry to finish' });
    expect((await queue.getJob(job.id!))?.returnvalue).toEqual({ action: 'unmute', skipped: 'stale expiry' });
    await queue.close();
    const [still] = await sql`select state from alerts where issue_id = '2001'`;
    expect(still?.state).toBe('muted');

    await sql`update alerts set muted_until = now() - interval '1 second' where issue_id = '2001'`;
    await producer.enqueue(issueAction, payload({ action: 'unmute', source: 'expiry' }));
    const ended = await replyContaining('🔔 Mute ended');
    expect(ended.text).toContain('KeyError: user_id');
    const [row] = await sql`select state, muted_until, status_by from alerts where issue_id = '2001'`;
    expect(row).toEqual({ state: 'open', muted_until: null, status_by: null });
  });

  it('reopens in Triage alone in webhook-only mode, and says so', async () => {
    await producer.enqueue(issueAction, payload({ action: 'unresolve' }));
    const reply = await replyContaining('↩️ Reopened: issue 2001');
    expect(reply.text).toContain('GlitchTip not updated: no GLITCHTIP_BASE_URL');
    const [state] = await sql`select status from issue_states where issue_id = '2001'`;
    expect(state).toEqual({ status: 'unresolved' });
  });

  it('says investigation is unavailable rather than pretending', async () => {
    await producer.enqueue(issueAction, payload({ action: 'investigate' }));
    const reply = await replyContaining('🔎 Issue 2001:');
    expect(reply.text).toMatch(/needs the GlitchTip API|not available yet/);
  });

  it('refuses and audits a user outside the allowlist, even when enqueued around the bot', async () => {
    const refused = payload({ action: 'resolve', actor: { userId: 5 } });
    await producer.enqueue(issueAction, refused);
    await replyContaining('You are not allowed to do this.');
    const [audit] = await sql`select actor, result from audit_log where idempotency_key = ${`action:${refused.requestId}`}`;
    expect(audit).toEqual({ actor: 'telegram:5', result: 'refused' });
  });

  it('an expiry-sourced job skips the allowlist for unmute only: any other action from it is refused', async () => {
    await sql`insert into alerts (issue_id, source, title, state) values ('2101', 'webhook', 'ValueError: forged', 'open')`;
    const forged = payload({ action: 'resolve', issueId: '2101', source: 'expiry', actor: { userId: 5 } });
    const job = await producer.enqueue(issueAction, forged);
    const queue = new Queue(issueAction.name, { connection, prefix });
    await waitFor(async () => (await queue.getJobState(job.id!)) === 'completed' || undefined, { what: 'the forged job to finish' });
    expect((await queue.getJob(job.id!))?.returnvalue).toEqual({ refused: true });
    await queue.close();
    const [row] = await sql`select state from alerts where issue_id = '2101'`;
    expect(row?.state).toBe('open');
    const [audit] = await sql`select actor, action, result from audit_log where idempotency_key = ${`action:${forged.requestId}`}`;
    expect(audit).toEqual({ actor: 'telegram:5', action: 'issue.resolve', result: 'refused' });
  });

  it('a muted issue sends nothing until the mute ends; a resolve ends a mute', async () => {
    await sql`insert into alerts (issue_id, source, title, state) values ('2102', 'webhook', 'IOError: quiet please', 'open')`;
    await producer.enqueue(issueAction, payload({ action: 'mute', issueId: '2102', hours: 2 }));
    await replyContaining('🔕 Issue 2102 muted until');
    await producer.enqueue(issueAction, payload({ action: 'resolve', issueId: '2102' }));
    await replyContaining('✅ Resolved: issue 2102');
    const [row] = await sql`select state, muted_until from alerts where issue_id = '2102'`;
    expect(row).toEqual({ state: 'resolved', muted_until: null });
  });

  it('sends a reply Telegram cannot parse as plain text, and again (marked) when the answer to a send was lost', async () => {
    telegram.inject.failNext(1, 400, "Bad Request: can't parse entities: unsupported start tag \"x\" at byte offset 0", { method: 'sendMessage' });
    await producer.enqueue(issueAction, payload({ action: 'unmute', issueId: '2999' }));
    const plain = await replyContaining('Issue 2999 has no alert in Triage');
    expect(plain.parse_mode).toBeUndefined();

    const sendsBefore = telegram.callsTo('sendMessage').length;
    telegram.inject.failNext(1, 502, 'Bad Gateway', { method: 'sendMessage' });
    const lost = payload({ action: 'unmute', issueId: '2998' });
    const job = await producer.enqueue(issueAction, lost);
    const queue = new Queue(issueAction.name, { connection, prefix });
    await waitFor(async () => (await queue.getJobState(job.id!)) === 'completed' || undefined, { what: 'the job to finish' });
    await queue.close();
    // Delivery over silence (issue 10 #7): the retry sends it again, saying it may be a second copy.
    expect(telegram.callsTo('sendMessage').length - sendsBefore).toBe(2);
    const again = await replyContaining('Issue 2998 has no alert in Triage');
    expect(again.text).toContain('(possible repeat)');
    const [audit] = await sql`select result from audit_log where idempotency_key = ${`reply:${lost.requestId}`}`;
    expect(audit).toEqual({ result: 'ok' });
  });
});

// The same worker with the GlitchTip API: what a user sees when GlitchTip does not take the change.
describe('issue-action when GlitchTip answers 404 or keeps failing', () => {
  const botToken = '525252:ACTION-GT-token-abcdefghijklmnopqrstu';
  const apiToken = 'b'.repeat(64);
  const chatId = -100889;
  const prefix = uniquePrefix('actgt');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'] });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let database: TestDatabase;
  let sql: postgres.Sql;
  let worker: StartedProcess;

  const replyContaining = (text: string) =>
    waitFor(() => telegram.messagesIn(chatId).find((message) => message.text?.includes(text)), { what: `a reply with "${text}"`, timeoutMs: 30_000 });

  beforeAll(async () => {
    await Promise.all([telegram.start(), glitchtip.start()]);
    glitchtip.seedIssue({ id: 3002, title: 'TimeoutError: upstream', count: 5, lastSeen: new Date() });
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'issue-action'], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: '77',
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      DISABLE_INVESTIGATION_HELPER: 'true',
      DISABLE_RUNBOOK_LINKER: 'true',
    });
    await worker.waitForOutput('worker started');
  }, 45_000);

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await producer.close();
    connection.disconnect();
    await sql?.end();
    await database?.drop();
    await Promise.all([telegram.stop(), glitchtip.stop()]);
    await clearPrefix(testRedisUrl(), prefix);
  });

  const press = (issueId: string, requestId: string): IssueActionPayload => ({
    action: 'resolve',
    issueId,
    actor: { userId: 77, username: 'alice' },
    chatId: String(chatId),
    source: 'command',
    requestId,
  });

  it('404: a clear reply and an audit row, nothing changed in Triage', async () => {
    await producer.enqueue(issueAction, press('3999', 'gt-404'));
    await replyContaining('Issue 3999 was not found in GlitchTip.');
    const [audit] = await sql`select action, target, result, error from audit_log where idempotency_key = 'action:gt-404'`;
    expect(audit).toEqual({ action: 'issue.resolve', target: 'glitchtip', result: 'error', error: 'issue not found in GlitchTip' });
  });

  it('GlitchTip failing on every attempt: a clear reply after the last one, an audit row, the issue untouched', async () => {
    glitchtip.inject.failMatching({ method: 'PUT', path: /\/issues\/3002\//, status: 500 });
    const job = await producer.enqueue(issueAction, press('3002', 'gt-500'), { attempts: 2, backoff: { type: 'fixed', delay: 200 } });
    await replyContaining('Could not resolve issue 3002: GlitchTip did not accept the change');
    const queue = new Queue(issueAction.name, { connection, prefix });
    await waitFor(async () => (await queue.getJobState(job.id!)) === 'failed' || undefined, { what: 'the job failed for good' });
    await queue.close();
    const [audit] = await sql`select target, result from audit_log where idempotency_key = 'action:gt-500'`;
    expect(audit).toEqual({ target: 'glitchtip', result: 'error' });
    expect(glitchtip.statuses['3002']).toBe('unresolved');
  }, 60_000);
});
