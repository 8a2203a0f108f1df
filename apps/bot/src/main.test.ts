import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import postgres from 'postgres';
import { Queue } from 'bullmq';
import { botCommand, digestListingKey, processAlert } from '@triage/contracts';
import { Producer, createProducerConnection, waitUntilReady } from '@triage/queue';
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

// The bot and the worker as real processes, against the Telegram and GlitchTip fakes, a real Redis and Postgres.
describe('bot + worker processes', () => {
  const botToken = '424242:BOT-token-abcdefghijklmnopqrstuvwxyz';
  const apiToken = 'a'.repeat(64);
  const chatId = -100777;
  const allowedUser = 77;
  const strangerUser = 99;
  const prefix = uniquePrefix('bot');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'] });
  let database: TestDatabase;
  let sql: postgres.Sql;
  let bot: StartedProcess;
  let worker: StartedProcess;

  const lastReplyTo = (messageId: number) =>
    waitFor(() => telegram.messagesIn(chatId).find((message) => message.text !== undefined && message.message_id > messageId), {
      what: `a reply after message ${messageId}`,
      timeoutMs: 20_000,
    });

  beforeAll(async () => {
    await Promise.all([telegram.start(), glitchtip.start()]);
    const hourAgo = new Date(Date.now() - 3_600_000);
    glitchtip.seedIssue({ id: 1042, title: 'TypeError: cart is undefined', count: 57, lastSeen: new Date(), tags: { component: 'checkout' } });
    glitchtip.seedIssue({ id: 1043, title: 'DatabaseError: pool exhausted', count: 12, lastSeen: hourAgo, tags: { component: 'payments' } });
    glitchtip.seedIssue({ id: 1044, title: 'OldError: from last week', count: 400, lastSeen: new Date(Date.now() - 5 * 86_400_000) });
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    const env = {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: String(allowedUser),
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      DISABLE_INVESTIGATION_HELPER: 'true',
      DISABLE_RUNBOOK_LINKER: 'true',
    };
    worker = startTsProcess('apps/worker/src/main.ts', [], env);
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

  it('registers the commands of INTERFACE.md', () => {
    expect(telegram.commands.map((entry) => entry.command)).toEqual(['errors', 'stats', 'investigate', 'resolve', 'ignore', 'mute', 'runbook', 'bulk', 'help']);
  });

  it('resolves on a press by an allowed user and refuses the same press by anyone else', async () => {
    // A real alert through the pipeline: process-alert (as the ingress enqueues it) -> send-alert -> the chat.
    const connection = createProducerConnection(testRedisUrl());
    const producer = new Producer({ connection, prefix });
    await producer.enqueue(processAlert, {
      kind: 'issue',
      source: 'webhook',
      receivedAt: new Date().toISOString(),
      issueId: '1042',
      title: 'TypeError: cart is undefined',
      culprit: 'cart.checkout',
      url: `${glitchtip.url}/acme/issues/1042`,
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
    const alertMessage = await waitFor(
      () => telegram.messagesIn(chatId).find((message) => message.text?.includes('TypeError: cart is undefined') && message.reply_markup),
      { what: 'the alert message with its buttons', timeoutMs: 30_000 },
    );
    const messageId = alertMessage.message_id;
    const resolveButton = alertMessage.reply_markup!.inline_keyboard.flat().find((button) => button.text.includes('Resolve'));
    expect(resolveButton?.callback_data).toBe('v1|r|1042');

    const refused = telegram.pressButton({ chatId, messageId, fromUserId: strangerUser, data: 'v1|r|1042' });
    await waitFor(() => telegram.callbackQueries.get(refused)?.answer, { what: 'the refusal' });
    expect(telegram.callbackQueries.get(refused)?.answer).toEqual({ text: 'You are not allowed to do this.', show_alert: true });
    const refusals = await waitFor(async () => {
      const rows = await sql`select actor, action, result from audit_log where result = 'refused'`;
      return rows.length > 0 ? rows : undefined;
    }, { what: 'the refusal audit row' });
    expect(refusals).toEqual([{ actor: `telegram:${strangerUser}`, action: 'issue.resolve', result: 'refused' }]);
    expect(glitchtip.statuses['1042']).toBe('unresolved');

    const pressed = telegram.pressButton({ chatId, messageId, fromUserId: allowedUser, data: 'v1|r|1042' });
    await waitFor(() => telegram.callbackQueries.get(pressed)?.answer, { what: 'the callback answer' });
    expect(telegram.callbackQueries.get(pressed)?.answer?.text).toBe('Resolving…');
    await waitFor(() => glitchtip.statuses['1042'] === 'resolved' || undefined, { what: 'GlitchTip to show the issue resolved' });
    const [audit] = await waitFor(async () => {
      const rows = await sql`select actor, target, result, idempotency_key from audit_log where action = 'issue.resolve' and result = 'ok'`;
      return rows.length > 0 ? rows : undefined;
    }, { what: 'the resolve audit row' });
    expect(audit).toEqual({ actor: `telegram:${allowedUser}`, target: 'glitchtip', result: 'ok', idempotency_key: `action:${pressed}` });
    const [alert] = await sql`select state, status_by from alerts where issue_id = '1042'`;
    expect(alert).toEqual({ state: 'resolved', status_by: `user ${allowedUser}` });
    const [issueState] = await sql`select status from issue_states where issue_id = '1042'`;
    expect(issueState).toEqual({ status: 'resolved' });
    // The alert message itself now says who resolved it, and offers Reopen instead of Resolve.
    const edited = await waitFor(
      () => telegram.messagesIn(chatId).find((message) => message.message_id === messageId && message.editCount > 0 && /Resolved/.test(message.text ?? '')),
      { what: 'the alert message edited to resolved', timeoutMs: 20_000 },
    );
    expect(edited.text).toContain(`user ${allowedUser}`);
    const labels = edited.reply_markup!.inline_keyboard.flat().map((button) => button.text);
    expect(labels.some((label) => label.includes('Reopen'))).toBe(true);
    expect(labels.some((label) => /^.?\s*Resolve$/.test(label))).toBe(false);
  });

  it('answers a button with data that is not an alert button', async () => {
    const sent = await fetch(`${telegram.url}/bot${botToken}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId, text: 'old', reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'garbage|1' }]] } }),
    }).then((response) => response.json() as Promise<{ result: { message_id: number } }>);
    const id = telegram.pressButton({ chatId, messageId: sent.result.message_id, fromUserId: allowedUser, data: 'garbage|1' });
    await waitFor(() => telegram.callbackQueries.get(id)?.answer, { what: 'the answer to a stale button' });
    expect(telegram.callbackQueries.get(id)?.answer?.text).toBe('This button is no longer valid.');
  });

  it('answers /errors from the seeded issues, newest window only, filtered by component', async () => {
    const asked = telegram.sendUserMessage({ chatId, fromUserId: allowedUser, text: '/errors' });
    const reply = await lastReplyTo(asked);
    expect(reply.text).toContain('Top unresolved errors, last 24h');
    expect(reply.text).toContain('DatabaseError: pool exhausted');
    expect(reply.text).not.toContain('OldError');
    // 1042 was resolved by the previous test.
    expect(reply.text).not.toContain('cart is undefined');
    expect(reply.entities.some((entity) => entity.type === 'text_link')).toBe(true);

    const filtered = telegram.sendUserMessage({ chatId, fromUserId: allowedUser, text: '/errors checkout 48' });
    const filteredReply = await lastReplyTo(filtered);
    expect(filteredReply.text).toBe('✅ No unresolved errors in checkout seen in the last 2d.');
    const [audit] = await sql`select actor, target, result from audit_log where action = 'reply.command.errors' limit 1`;
    expect(audit).toEqual({ actor: `telegram:${allowedUser}`, target: 'telegram', result: 'ok' });
  });

  it('answers /stats with totals from GlitchTip', async () => {
    const asked = telegram.sendUserMessage({ chatId, fromUserId: allowedUser, text: '/stats 7d' });
    const reply = await lastReplyTo(asked);
    expect(reply.text).toContain('Errors, last 7d');
    expect(reply.text).toContain('Events: 469');
    expect(reply.text).toContain('New issues: 3');
    expect(reply.text).toContain('DatabaseError: pool exhausted');
  });

  it('answers bad arguments with a usage line, and /runbook with no match or with the match and why', async () => {
    const asked = telegram.sendUserMessage({ chatId, fromUserId: allowedUser, text: '/mute 1042 abc' });
    expect((await lastReplyTo(asked)).text).toBe('Usage: /mute <id> <hours> (e.g. /mute 1042 4)');
    const runbook = telegram.sendUserMessage({ chatId, fromUserId: allowedUser, text: '/runbook 1042' });
    expect((await lastReplyTo(runbook)).text).toBe('📖 No runbook matches issue 1042.\nNone comes close.');
    const matched = telegram.sendUserMessage({ chatId, fromUserId: allowedUser, text: '/runbook 1043' });
    const answer = (await lastReplyTo(matched)).text;
    expect(answer).toContain('📖 Runbook for issue 1043\nDatabase connection timeout or pool exhausted\n\nWhy it matched\n• title matches /(connection )?pool (is )?(exhausted|full)/: "DatabaseError: pool exhausted"');
    expect(answer).toContain('Not linked in GlitchTip yet.');
  });

  it('refuses a command from a user who is not allowed, and audits it', async () => {
    const asked = telegram.sendUserMessage({ chatId, fromUserId: strangerUser, text: '/resolve 1043' });
    expect((await lastReplyTo(asked)).text).toBe('You are not allowed to do this.');
    await waitFor(async () => {
      const rows = await sql`select 1 from audit_log where action = 'command.resolve' and result = 'refused'`;
      return rows.length > 0 || undefined;
    }, { what: 'the refused command audit row' });
    expect(glitchtip.statuses['1043']).toBe('unresolved');
  });

  it('tells a stranger no at most once an hour, checking the allowlist before anything else, through the worker', async () => {
    const stranger = 98;
    const before = telegram.messagesIn(chatId).length;
    const asked = ['/help', '/errors', '/resolve 1042', '/mute 1042 abc'].map((text) => telegram.sendUserMessage({ chatId, fromUserId: stranger, text }));
    // Positive marker: every command was refused and audited by the bot, and the worker's queue is drained.
    await waitFor(async () => {
      const rows = await sql`select 1 from audit_log where actor = ${`telegram:${stranger}`} and result = 'refused'`;
      return rows.length === asked.length || undefined;
    }, { what: 'four refusals audited' });
    const connection = createProducerConnection(testRedisUrl());
    const queue = new Queue(botCommand.name, { connection, prefix });
    try {
      await waitFor(async () => {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        return Object.values(counts).every((count) => count === 0) || undefined;
      }, { what: 'the bot-command queue drained' });
      const replies = telegram.messagesIn(chatId).slice(before).filter((message) => message.text !== undefined && !asked.includes(message.message_id));
      expect(replies.map((message) => message.text)).toEqual(['You are not allowed to do this.']);
      // The refusal was sent by a worker job, not by the bot itself.
      const jobs = (await queue.getCompleted()).filter((job) => job.data.command === 'reply' && job.data.actor.userId === stranger);
      expect(jobs.map((job) => job.data.purpose)).toEqual(['refusal']);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('sends /help through the worker', async () => {
    const asked = telegram.sendUserMessage({ chatId, fromUserId: allowedUser, text: '/help' });
    expect((await lastReplyTo(asked)).text).toContain('/resolve');
    const connection = createProducerConnection(testRedisUrl());
    const queue = new Queue(botCommand.name, { connection, prefix });
    try {
      const done = await waitFor(async () => (await queue.getCompleted()).find((job) => job.data.command === 'reply' && job.data.purpose === 'help'), { what: 'the help job' });
      expect(done.data.messageId).toBe(asked);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('a digest\'s "Mute all 1h" mutes every issue the digest left without buttons', async () => {
    // A digest as send-alert leaves it: the message with its Mute all button, and its listing in Redis.
    const sent = await fetch(`${telegram.url}/bot${botToken}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId, text: '30 more issues:', reply_markup: { inline_keyboard: [[{ text: '🔕 Mute all 1h (the other 2)', callback_data: 'v1|mr|1' }]] } }),
    });
    const digestId = ((await sent.json()) as { result: { message_id: number } }).result.message_id;
    const connection = createProducerConnection(testRedisUrl());
    try {
      await waitUntilReady(connection, 5_000);
      await connection.set(digestListingKey(prefix, String(chatId), digestId), JSON.stringify({ issueIds: ['1050', '1051', '1052'], rest: ['1051', '1052'] }));
    } finally {
      connection.disconnect();
    }
    const press = telegram.pressButton({ chatId, messageId: digestId, fromUserId: allowedUser, data: 'v1|mr|1' });
    await waitFor(() => telegram.callbackQueries.get(press)?.answer, { what: 'the answer to the press' });
    expect(telegram.callbackQueries.get(press)?.answer?.text).toBe('Muting 2 issues for 1h…');
    const muted = await waitFor(async () => {
      const rows = await sql`select issue_id, state from alerts where issue_id in ('1050', '1051', '1052') order by issue_id`;
      return rows.length === 2 && rows.every((row) => row.state === 'muted') ? rows : undefined;
    }, { what: 'the two issues muted' });
    expect(muted.map((row) => row.issue_id)).toEqual(['1051', '1052']);
  });
});
