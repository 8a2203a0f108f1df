import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq } from 'drizzle-orm';
import { alertMessages, alerts, auditLog } from '@triage/db';
import { callbackDataMaxBytes, deliveryCountersKey } from '@triage/contracts';
import { createTestDatabase, startTsProcess, testRedisUrl, uniquePrefix, waitFor, createTelegramFake, type TestDatabase, type FakeMessage } from '@triage/testing';
import { connectDatabase } from '@triage/db';
import { Producer, createProducerConnection } from '@triage/queue';
import { processAlert, sendAlert, statusEditOptions } from '@triage/contracts';
import { botToken, issuePayload, startHarness, type Harness } from './fixtures/send-alert-harness';

const minutes = (count: number) => count * 5 * 60_000;
/** process-alert dedups alerts of one issue within 5 minutes; each "again" is a later window. */
const later = (windows: number) => new Date(Date.now() + minutes(windows)).toISOString();

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');
const callbackData = (message: FakeMessage) =>
  (message.reply_markup?.inline_keyboard ?? []).flat().flatMap((button) => ('callback_data' in button && button.callback_data ? [button.callback_data] : []));
const isAlertFor = (issueId: string) => (message: FakeMessage) => callbackData(message).some((data) => data.endsWith(`|${issueId}`));

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('send-alert end to end (real worker process)', () => {
  const chatId = -1001000000001;
  const fake = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const prefix = uniquePrefix('sa-e2e');
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let worker: ReturnType<typeof startTsProcess>;

  beforeAll(async () => {
    await fake.start();
    worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'process-alert,send-alert'], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_CHAT_ID: String(chatId),
    });
    await worker.waitForOutput('worker started');
  });

  afterAll(async () => {
    worker.kill('SIGTERM');
    await worker.exited;
    await producer.close();
    connection.disconnect();
    await fake.stop();
  });

  it('sends one message with buttons, then edits it when the issue alerts again', async () => {
    await producer.enqueue(processAlert, issuePayload('7001'));
    const [message] = await waitFor(() => fake.messagesIn(chatId).length === 1 && fake.messagesIn(chatId), { what: 'the alert message', timeoutMs: 30_000 });
    expect(message!.parse_mode).toBe('HTML');
    expect(message!.text).toContain('TypeError: cannot read properties of undefined <7001>');
    const data = callbackData(message!);
    expect(data).toEqual(expect.arrayContaining(['v1|r|7001', 'v1|g|7001', 'v1|i|7001']));
    for (const value of data) expect(byteLength(value)).toBeLessThanOrEqual(callbackDataMaxBytes);
    expect((message!.reply_markup?.inline_keyboard ?? []).flat().some((button) => 'url' in button && button.url === 'http://glitchtip.test/acme/issues/7001')).toBe(true);

    await producer.enqueue(processAlert, issuePayload('7001', { receivedAt: later(1) }));
    await waitFor(() => fake.messagesIn(chatId)[0]!.editCount === 1, { what: 'the edit', timeoutMs: 30_000 });
    expect(fake.messagesIn(chatId)).toHaveLength(1);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);

    const handle = connectDatabase(database.url);
    try {
      const [row] = await handle.db.select().from(alertMessages).where(eq(alertMessages.issueId, '7001'));
      expect(row).toMatchObject({ chatId: String(chatId), messageId: message!.message_id, status: 'sent' });
      // The fake records the edit before the worker writes its audit row: wait for the row, do not race it.
      const audits = await waitFor(async () => {
        const found = await handle.db.select().from(auditLog).where(eq(auditLog.issueId, '7001'));
        return found.length >= 2 ? found : undefined;
      }, { what: 'both audit rows' });
      expect(audits.map((audit) => [audit.action, audit.result, audit.target]).sort()).toEqual([
        ['edit-alert', 'ok', 'telegram'],
        ['send-alert', 'ok', 'telegram'],
      ]);
      expect(audits.find((audit) => audit.action === 'send-alert')!.idempotencyKey).toBe(`send:7001:${chatId}:${message!.message_id}`);
    } finally {
      await handle.close();
    }
  });
});

describe('send-alert: a worker killed between claim and send (real processes)', () => {
  const chatId = -1001000000005;
  const fake = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const prefix = uniquePrefix('sa-kill');
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  const env = () => ({
    REDIS_URL: testRedisUrl(),
    DATABASE_URL: database.url,
    QUEUE_PREFIX: prefix,
    TELEGRAM_BOT_TOKEN: botToken,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_CHAT_ID: String(chatId),
  });
  let second: ReturnType<typeof startTsProcess> | undefined;

  beforeAll(async () => {
    await fake.start();
  });

  afterAll(async () => {
    second?.kill('SIGTERM');
    await second?.exited;
    await producer.close();
    connection.disconnect();
    await fake.stop();
  });

  it('SIGKILL with the send claimed and in flight: another worker still delivers it, marked as a possible repeat', async () => {
    fake.inject.holdNext(1, { method: 'sendMessage' });
    const first = startTsProcess('apps/worker/src/main.ts', ['--queues', 'process-alert,send-alert'], env());
    await first.waitForOutput('worker started');
    await producer.enqueue(processAlert, issuePayload('7101'));
    // The claim is taken and the request is on its way (the fake holds it): kill the worker there.
    await waitFor(() => fake.stats.held === 1 || undefined, { what: 'the send under way', timeoutMs: 30_000 });
    const handle = connectDatabase(database.url);
    try {
      await waitFor(async () => {
        const [row] = await handle.db.select().from(alertMessages).where(eq(alertMessages.issueId, '7101'));
        return row?.status === 'sending' || undefined;
      }, { what: 'the claim', timeoutMs: 30_000 });
      first.kill('SIGKILL');
      await first.exited;
      expect(fake.messagesIn(chatId)).toHaveLength(0);

      second = startTsProcess('apps/worker/src/main.ts', ['--queues', 'process-alert,send-alert'], env());
      await second.waitForOutput('worker started');
      // BullMQ notices the stalled job, and the dead claim goes stale: the alert arrives, saying it may be a repeat.
      const message = await waitFor(() => fake.messagesIn(chatId).find(isAlertFor('7101')), { what: 'the alert from the second worker', timeoutMs: 150_000, intervalMs: 500 });
      expect(message.text).toContain('(possible repeat)');
      expect(fake.messagesIn(chatId)).toHaveLength(1);
      await waitFor(async () => {
        const [row] = await handle.db.select().from(alertMessages).where(eq(alertMessages.issueId, '7101'));
        return row?.status === 'sent' || undefined;
      }, { what: 'the row sent' });
    } finally {
      await handle.close();
    }
  }, 200_000);
});

describe('send-alert errors and recoveries', () => {
  const group = -1001000000002;
  const oldGroup = -2000003;
  const newSupergroup = -1002000003;
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      databaseUrl: database.url,
      chatId: String(group),
      chats: [
        { id: group, type: 'supergroup' },
        { id: oldGroup, type: 'group' },
      ],
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  const row = async (issueId: string) => {
    const [found] = await harness.database.db.select().from(alertMessages).where(eq(alertMessages.issueId, issueId));
    return found;
  };

  it('coalesces a burst of status changes into at most two edits that show the latest state', async () => {
    await harness.alert('8010');
    const message = await waitFor(() => harness.fake.messagesIn(group).find(isAlertFor('8010')), { what: 'the alert' });
    await waitFor(async () => (await row('8010'))?.status === 'sent', { what: 'the row marked sent' });
    const editsOf = () => harness.fake.callsTo('editMessageText').filter((call) => call.params.message_id === message.message_id).length;
    const before = editsOf();
    // The last state differs from the first, so a run that kept the first edit and dropped the rest would show it.
    for (const state of ['resolved', 'open', 'ignored', 'open', 'ignored'] as const) {
      await harness.database.db.update(alerts).set({ state, statusBy: '@ana', statusAt: new Date() }).where(eq(alerts.issueId, '8010'));
      await harness.deps.producer.enqueue(sendAlert, { issueId: '8010', reason: 'status', edit: true }, statusEditOptions('8010'));
    }
    await waitFor(() => harness.idle(), { what: 'the edits to drain', timeoutMs: 30_000 });
    const editJobs = (await harness.queue('send-alert').getCompleted()).filter((job) => job.data.issueId === '8010' && job.data.edit);
    expect(editJobs.length).toBeGreaterThanOrEqual(1);
    expect(editJobs.length).toBeLessThanOrEqual(2);
    const edits = editsOf() - before;
    expect(edits).toBeGreaterThanOrEqual(1);
    expect(edits).toBeLessThanOrEqual(2);
    expect(message.text).toContain('Ignored by @ana');
    expect(message.text).not.toContain('Resolved');
  });

  it('skips a status edit for an issue that never alerted (only a mute was recorded), without retries', async () => {
    await harness.database.db.insert(alerts).values({ issueId: '8011', source: 'telegram', title: 'Issue 8011', state: 'muted' });
    const job = await harness.deps.producer.enqueue(sendAlert, { issueId: '8011', reason: 'status', edit: true }, statusEditOptions('8011'));
    const queue = harness.queue('send-alert');
    await waitFor(async () => (await queue.getJobState(job.id!)) === 'completed' || undefined, { what: 'the edit job to complete' });
    const done = await queue.getJob(job.id!);
    expect(done?.attemptsMade).toBe(1);
    expect(done?.returnvalue).toEqual({ skipped: 'no alert yet' });
  });

  it('resends as plain text when Telegram cannot parse the HTML', async () => {
    harness.fake.inject.failNext(1, 400, "Bad Request: can't parse entities: unsupported start tag \"x\" at byte offset 3", { method: 'sendMessage' });
    await harness.alert('8001');
    const message = await waitFor(() => harness.fake.messagesIn(group).find(isAlertFor('8001')), { what: 'the plain-text alert' });
    expect(message.parse_mode).toBeUndefined();
    expect(message.entities).toEqual([]);
    expect(message.text).toContain('<8001>');
    expect(harness.fake.callsTo('sendMessage').filter((call) => String(call.params.text).includes('8001'))).toHaveLength(2);
    await waitFor(async () => (await row('8001'))?.status === 'sent', { what: 'the row marked sent' });
  });

  it('fails without retry on 403, records the failure and logs an ops alert', async () => {
    const blocked = -1001000000009;
    const local = await startHarness({ databaseUrl: database.url, chatId: String(blocked), chats: [{ id: blocked, type: 'supergroup' }] });
    try {
      local.fake.inject.blockBot(blocked);
      await local.alert('8002');
      const failed = await waitFor(async () => (await local.queue('send-alert').getFailed()).find((job) => job.data.issueId === '8002'), { what: 'the failed job' });
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toContain('Forbidden');
      expect(local.fake.callsTo('sendMessage')).toHaveLength(1);
      const [stored] = await local.database.db.select().from(alertMessages).where(eq(alertMessages.issueId, '8002'));
      expect(stored).toMatchObject({ status: 'failed', messageId: null });
      const audits = await local.database.db.select().from(auditLog).where(and(eq(auditLog.issueId, '8002'), eq(auditLog.target, 'telegram')));
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ action: 'send-alert', result: 'error', actor: 'triage' });
      expect(local.logs.some((line) => line.level === 50 && String(line.msg).startsWith('ops alert'))).toBe(true);
    } finally {
      await local.close();
    }
  });

  it('follows a group migrated to a supergroup and keeps editing there', async () => {
    const local = await startHarness({
      databaseUrl: database.url,
      chatId: String(oldGroup),
      chats: [{ id: oldGroup, type: 'group' }],
    });
    try {
      local.fake.inject.migrateChat(oldGroup, newSupergroup);
      await local.alert('8003');
      const message = await waitFor(() => local.fake.messagesIn(newSupergroup).find(isAlertFor('8003')), { what: 'the alert in the new chat' });
      // The message reaches the fake before the worker records it as sent.
      const stored = await waitFor(async () => {
        const [found] = await local.database.db.select().from(alertMessages).where(eq(alertMessages.issueId, '8003'));
        return found?.status === 'sent' ? found : undefined;
      }, { what: 'the row recorded as sent' });
      expect(stored).toMatchObject({ chatId: String(newSupergroup), messageId: message.message_id, status: 'sent' });

      await local.alert('8003', { receivedAt: later(1) });
      await waitFor(() => message.editCount === 1, { what: 'the edit in the new chat' });
      expect(local.fake.messagesIn(newSupergroup)).toHaveLength(1);
      // Only the first send went to the old id; the next write went straight to the new one.
      expect(local.fake.calls.filter((call) => String(call.params.chat_id) === String(oldGroup))).toHaveLength(1);
    } finally {
      await local.close();
    }
  });

  it('sends a new message when the one to edit is gone', async () => {
    await harness.alert('8004');
    const first = await waitFor(() => harness.fake.messagesIn(group).find(isAlertFor('8004')), { what: 'the first message' });
    harness.fake.inject.failNext(1, 400, 'Bad Request: message to edit not found', { method: 'editMessageText' });
    await harness.alert('8004', { receivedAt: later(1) });
    const messages = await waitFor(() => {
      const found = harness.fake.messagesIn(group).filter(isAlertFor('8004'));
      return found.length === 2 && found;
    }, { what: 'the replacement message' });
    expect(messages[0]).toBe(first);
    // The fake has the message before the worker records it: wait for the row rather than race it.
    await waitFor(async () => (await row('8004'))?.messageId === messages[1]!.message_id || undefined, { what: 'the row to point at the new message' });
    expect((await row('8004'))?.messageId).toBe(messages[1]!.message_id);
  });

  it('sends again after a lost answer (502), marked as a possible repeat and counted', async () => {
    harness.fake.inject.failNext(1, 502, 'Bad Gateway', { method: 'sendMessage' });
    await harness.alert('8005');
    const message = await waitFor(() => harness.fake.messagesIn(group).find(isAlertFor('8005')), { what: 'the alert sent again', timeoutMs: 30_000 });
    expect(message.text).toContain('(possible repeat)');
    await waitFor(async () => (await row('8005'))?.status === 'sent' || undefined, { what: 'the row recorded as sent' });
    const counted = await harness.deps.redis.hget(deliveryCountersKey(harness.prefix), 'alert');
    expect(Number(counted)).toBeGreaterThanOrEqual(1);
    const audits = await harness.database.db.select().from(auditLog).where(eq(auditLog.issueId, '8005'));
    expect(audits.some((audit) => audit.result === 'error' && audit.action === 'send-alert')).toBe(true);
    expect(audits.some((audit) => audit.result === 'ok' && (audit.details as { possibleRepeat?: boolean }).possibleRepeat === true)).toBe(true);
  });

  it('retries without the repeat mark when the request never left (connection refused)', async () => {
    const local = await startHarness({ databaseUrl: database.url, chatId: String(group), chats: [{ id: group, type: 'supergroup' }] });
    try {
      await local.fake.stop();
      await local.alert('8007');
      await waitFor(async () => {
        const jobs = await local.queue('send-alert').getJobs(['delayed', 'wait', 'active']);
        return jobs.some((job) => job.data.issueId === '8007' && job.attemptsMade >= 1) || undefined;
      }, { what: 'a failed attempt against the closed port', timeoutMs: 30_000 });
      const [stored] = await local.database.db.select().from(alertMessages).where(eq(alertMessages.issueId, '8007'));
      // Not 'unknown': a refused connection proves nothing was posted, so the retry is a plain one (no repeat mark).
      expect(stored?.status).toBe('pending');
    } finally {
      await local.close();
    }
  });

  it('logs the alert when Telegram is off and records nothing', async () => {
    const local = await startHarness({ databaseUrl: database.url, chatId: String(group), chats: [], telegram: false });
    try {
      await local.alert('8006');
      const line = await waitFor(() => local.logs.find((entry) => entry.msg === 'alert (Telegram off)'), { what: 'the log line' });
      expect(line.level).toBe(30);
      expect(String(line.text)).toContain('<8006>');
      expect(await local.database.db.select().from(alertMessages).where(eq(alertMessages.issueId, '8006'))).toEqual([]);
      expect(local.fake.calls).toHaveLength(0);
    } finally {
      await local.close();
    }
  });
});

describe('send-alert under a storm', () => {
  // Telegram's minute becomes 3 s in the fake; the pacer's windows shrink alike. The group window keeps a margin for
  // the HTTP hop, which in one busy test process includes event-loop stalls.
  const timeScale = 0.05;
  const pacerLimits = {
    perChat: { limit: 1, windowMs: 1_000 * timeScale },
    perGroup: { limit: 20, windowMs: 62_000 * timeScale + 400 },
    global: { limit: 25, windowMs: 1_000 * timeScale },
  };

  it('300 alerts for 60 issues: no 429, each issue once (own message or digest), nothing lost', async () => {
    const chatId = -1001000000100;
    const harness = await startHarness({
      databaseUrl: database.url,
      chatId: String(chatId),
      chats: [{ id: chatId, type: 'supergroup' }],
      rates: { timeScale },
      pacerLimits,
    });
    try {
      const issues = Array.from({ length: 60 }, (_, index) => String(9000 + index));
      const payloads = [0, 1, 2, 3, 4].flatMap((window) =>
        issues.map((issueId) => ({ issueId, title: `storm-${issueId}-`, receivedAt: later(window) })),
      );
      await harness.alerts(payloads);
      await waitFor(() => harness.idle(), { what: 'the storm to be delivered', timeoutMs: 90_000, intervalMs: 250 });

      expect(harness.fake.stats.rateLimited).toBe(0);
      const messages = harness.fake.messagesIn(chatId);
      // Digests carry buttons too (a row per listed issue): tell them by their heading.
      const digests = messages.filter((message) => /more issues:/.test(message.text ?? ''));
      const rows = await harness.database.db.select().from(alertMessages).where(eq(alertMessages.chatId, String(chatId)));
      expect(rows).toHaveLength(60);
      for (const issueId of issues) {
        const own = messages.filter((message) => !digests.includes(message) && isAlertFor(issueId)(message));
        const inDigests = digests.filter((digest) => digest.text!.includes(`storm-${issueId}-`));
        const stored = rows.find((candidate) => candidate.issueId === issueId)!;
        expect({ issueId, total: own.length + inDigests.length }).toEqual({ issueId, total: 1 });
        expect(stored.status).toBe(own.length === 1 ? 'sent' : 'digest');
      }
      expect(digests.length).toBeGreaterThan(0);
      const failed = await harness.queue('send-alert').getFailed();
      expect(failed).toEqual([]);
    } finally {
      await harness.close();
    }
  }, 120_000);

  it('every alert still arrives when Telegram answers 429 on purpose', async () => {
    const chats = [-1001000000200, -1001000000201];
    const harness = await startHarness({
      databaseUrl: database.url,
      chatId: String(chats[0]),
      chats: chats.map((id) => ({ id, type: 'supergroup' as const })),
      rates: { timeScale },
      pacerLimits,
    });
    try {
      harness.fake.inject.rateLimitNext(6, 1);
      const issues = ['9501', '9502', '9503', '9504'];
      await harness.alerts(issues.map((issueId) => ({ issueId })));
      await waitFor(() => harness.idle(), { what: 'delivery despite 429s', timeoutMs: 60_000, intervalMs: 200 });
      // Each injected 429 imposes its retry_after on the chat, as Telegram does: calls already in flight may meet it too.
      expect(harness.fake.stats.rateLimited).toBeGreaterThanOrEqual(6);
      for (const issueId of issues) expect(harness.fake.messagesIn(chats[0]!).filter(isAlertFor(issueId))).toHaveLength(1);
      expect(await harness.queue('send-alert').getFailed()).toEqual([]);
    } finally {
      await harness.close();
    }
  }, 90_000);
});

describe('send-alert routing (ROUTES_FILE)', () => {
  let database: TestDatabase;
  let harness: Harness;
  const defaultChat = -1005000000001;
  const forum = -1005000000002;
  const topic = 77;
  const stagingChat = -1005000000003;

  beforeAll(async () => {
    database = await createTestDatabase();
    harness = await startHarness({
      databaseUrl: database.url,
      chatId: String(defaultChat),
      chats: [
        { id: defaultChat, type: 'supergroup' },
        { id: forum, type: 'supergroup', isForum: true, topics: [topic] },
        { id: stagingChat, type: 'group' },
      ],
      routes: [
        'routes:',
        '  - match: { project: backend, environment: production, level: error+ }',
        `    chatId: ${forum}`,
        `    threadId: ${topic}`,
        '  - match: { environment: production }',
        `    chatId: ${defaultChat}`,
        '  - match: { environment: staging }',
        `    chatId: ${stagingChat}`,
        '  - match: { environment: qa }',
        `    chatId: ${forum}`,
        '    threadId: 999',
      ].join('\n'),
    });
  });

  afterAll(async () => {
    await harness.close();
    await database.drop();
  });

  it('sends to every matching chat once, into the forum topic, and edits each in place', async () => {
    await harness.alert('8101');
    const inTopic = await waitFor(() => harness.fake.messagesIn(forum).find(isAlertFor('8101')), { what: 'the alert in the forum topic' });
    const inDefault = await waitFor(() => harness.fake.messagesIn(defaultChat).find(isAlertFor('8101')), { what: 'the alert in the default chat' });
    expect(inTopic.message_thread_id).toBe(topic);
    expect(inDefault.message_thread_id).toBeUndefined();
    expect(harness.fake.messagesIn(stagingChat)).toEqual([]);

    await harness.alert('8101', { receivedAt: later(1) });
    await waitFor(() => inTopic.editCount === 1 && inDefault.editCount === 1, { what: 'both messages edited' });
    expect(harness.fake.messagesIn(forum).filter(isAlertFor('8101'))).toHaveLength(1);
    expect(harness.fake.messagesIn(defaultChat).filter(isAlertFor('8101'))).toHaveLength(1);
  });

  it('routes by environment, and falls back to the default chat when no rule matches', async () => {
    await harness.alert('8102', { environment: 'staging' });
    await waitFor(() => harness.fake.messagesIn(stagingChat).find(isAlertFor('8102')), { what: 'the staging alert' });
    await harness.alert('8103', { environment: 'development', project: 'web' });
    await waitFor(() => harness.fake.messagesIn(defaultChat).find(isAlertFor('8103')), { what: 'the unrouted alert in the default chat' });
    expect(harness.fake.messagesIn(forum).find(isAlertFor('8102'))).toBeUndefined();
    expect(harness.fake.messagesIn(forum).find(isAlertFor('8103'))).toBeUndefined();
  });

  it('posts to the chat itself when the routed forum topic no longer exists', async () => {
    await harness.alert('8104', { environment: 'qa' });
    const message = await waitFor(() => harness.fake.messagesIn(forum).find(isAlertFor('8104')), { what: 'the alert without its topic' });
    expect(message.message_thread_id).toBeUndefined();
    const refused = harness.fake.calls.filter((call) => call.method === 'sendMessage' && call.params.message_thread_id === 999);
    expect(refused.map((call) => (call.response.body as { description?: string }).description)).toEqual(['Bad Request: message thread not found']);
  });
});

describe('send-alert pacing with the production defaults', () => {
  it('an injected 429 is waited out without spending an attempt, while another chat keeps flowing', async () => {
    const chatA = -1001000000300;
    const chatB = -1001000000301;
    const harness = await startHarness({
      databaseUrl: database.url,
      chatId: String(chatA),
      chats: [
        { id: chatA, type: 'supergroup' },
        { id: chatB, type: 'supergroup' },
      ],
      routes: ['routes:', '  - match: { environment: chat-b }', `    chatId: ${chatB}`].join('\n'),
    });
    try {
      harness.fake.inject.rateLimitNext(1, 3, { method: 'sendMessage', matching: (params) => String(params.chat_id) === String(chatA) });
      await harness.alert('9601');
      await waitFor(() => harness.fake.stats.rateLimited === 1 || undefined, { what: 'the 429 for chat A' });
      await harness.alert('9602', { environment: 'chat-b' });
      const inA = await waitFor(() => harness.fake.messagesIn(chatA).find(isAlertFor('9601')), { what: 'the alert in chat A', timeoutMs: 20_000 });
      const inB = harness.fake.messagesIn(chatB).find(isAlertFor('9602'));
      expect(inB).toBeDefined();
      const callsToA = harness.fake.calls.filter((call) => call.method === 'sendMessage' && String(call.params.chat_id) === String(chatA));
      expect(callsToA.map((call) => call.response.status)).toEqual([429, 200]);
      // The wait Telegram asked for was honoured, and chat B was served meanwhile.
      expect(callsToA[1]!.time - callsToA[0]!.time).toBeGreaterThanOrEqual(3_000);
      const callToB = harness.fake.calls.find((call) => call.method === 'sendMessage' && String(call.params.chat_id) === String(chatB))!;
      expect(callToB.time).toBeLessThan(callsToA[1]!.time);
      expect(inA.message_id).toBe(1);
      const done = await waitFor(async () => (await harness.queue('send-alert').getCompleted()).find((job) => job.data.issueId === '9601'), { what: 'the job done' });
      // Waiting out a 429 spends no attempt.
      expect(done.attemptsMade).toBe(1);
    } finally {
      await harness.close();
    }
  }, 60_000);

  it('the default limits (the real Telegram ones) deliver a burst to a group through the real send path without a 429', async () => {
    const group = -1001000000302;
    const harness = await startHarness({ databaseUrl: database.url, chatId: String(group), chats: [{ id: group, type: 'supergroup' }] });
    try {
      const issues = ['9611', '9612', '9613', '9614', '9615'];
      await harness.alerts(issues.map((issueId) => ({ issueId })));
      await waitFor(() => issues.every((issueId) => harness.fake.messagesIn(group).some(isAlertFor(issueId))) || undefined, {
        what: 'every alert of the burst',
        timeoutMs: 30_000,
      });
      expect(harness.fake.stats.rateLimited).toBe(0);
      const times = harness.fake.callsTo('sendMessage').map((call) => call.time);
      // The default per-chat pace (about one message a second) spread the burst out.
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(3_000);
    } finally {
      await harness.close();
    }
  }, 60_000);
});
