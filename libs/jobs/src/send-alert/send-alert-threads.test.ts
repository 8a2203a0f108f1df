import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, asc, eq } from 'drizzle-orm';
import { alertMessages, alerts } from '@triage/db';
import { createTestDatabase, waitFor, type FakeMessage, type TestDatabase } from '@triage/testing';
import { startHarness, type Harness } from './fixtures/send-alert-harness';

// Items 1, 2 and 10 of issue 10: what notifies is a new message in the issue's thread; two topics of one chat each get theirs.

const mentions = (issueId: string) => (message: FakeMessage) => (message.text ?? '').includes(`<${issueId}>`) || (message.text ?? '').includes(`monitor ${issueId}`);

let database: TestDatabase;
let harness: Harness;
const chatId = -1006000000001;
const forum = -1006000000002;
/** Its own chat, so Telegram's per-group budget spent by the other tests does not slow these down. */
const side = -1006000000003;

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await startHarness({
    databaseUrl: database.url,
    chatId: String(chatId),
    chats: [
      { id: chatId, type: 'supergroup' },
      { id: forum, type: 'supergroup', isForum: true, topics: [11, 12] },
      { id: side, type: 'supergroup' },
    ],
    routes: [
      'routes:',
      '  - match: { environment: forum-test }',
      `    chatId: ${forum}`,
      '    threadId: 11',
      '  - match: { environment: forum-test }',
      `    chatId: ${forum}`,
      '    threadId: 12',
      '  - match: { environment: side-chat }',
      `    chatId: ${side}`,
    ].join('\n'),
  });
});

afterAll(async () => {
  await harness.close();
  await database.drop();
});

const rowsOf = (issueId: string) =>
  harness.database.db.select().from(alertMessages).where(eq(alertMessages.issueId, issueId)).orderBy(asc(alertMessages.routeThreadId), asc(alertMessages.generation));

const messagesFor = (issueId: string, chat = chatId) => harness.fake.messagesIn(chat).filter(mentions(issueId));

async function firstMessage(issueId: string): Promise<FakeMessage> {
  await harness.send(issueId, 'new');
  const [message] = await waitFor(() => messagesFor(issueId).length === 1 && messagesFor(issueId), { what: `the first alert of ${issueId}` });
  await waitFor(async () => (await rowsOf(issueId))[0]?.status === 'sent' || undefined, { what: 'the first row sent' });
  return message!;
}

describe('regressions, re-alerts and repeats', () => {
  it('a regression is a new message replying to the first one, and the first one points to it', async () => {
    await harness.recordAlert('8301');
    const first = await firstMessage('8301');

    await harness.recordAlert('8301', { regression: true });
    await harness.send('8301', 'regression');
    const second = await waitFor(() => messagesFor('8301')[1], { what: 'the regression message' });
    expect(second.reply_to_message_id).toBe(first.message_id);
    await waitFor(() => first.text?.includes('⤵ regressed: see the newer message') || undefined, { what: 'the pointer on the first message' });
    // Buttons move to the newer message; the earlier one keeps only its link.
    expect((first.reply_markup?.inline_keyboard ?? []).flat().every((button) => 'url' in button)).toBe(true);
    const rows = await waitFor(async () => {
      const found = await rowsOf('8301');
      return found.length === 2 && found[0]!.status === 'superseded' && found[1]!.status === 'sent' ? found : undefined;
    }, { what: 'two generations, the first superseded' });
    expect(rows.map((row) => [row.generation, row.messageId, row.replyToMessageId])).toEqual([
      [1, first.message_id, null],
      [2, second.message_id, first.message_id],
    ]);

    // A plain repeat edits the newest message in place.
    await harness.recordAlert('8301', { regression: true, count: 40 });
    await harness.send('8301', 'repeat');
    await waitFor(() => second.editCount === 1 || undefined, { what: 'the repeat edit of the newer message' });
    expect(messagesFor('8301')).toHaveLength(2);
    await waitFor(() => harness.idle(), { what: 'the queues to drain' });
    expect(first.editCount).toBe(1);
  });

  it('an alert after a resolve (realert) notifies with a new message too; a retry does not open a third', async () => {
    await harness.recordAlert('8302');
    const first = await firstMessage('8302');
    await harness.send('8302', 'realert');
    const second = await waitFor(() => messagesFor('8302')[1], { what: 'the re-alert message' });
    expect(second.reply_to_message_id).toBe(first.message_id);
    await waitFor(() => first.text?.startsWith('⤵ alerted again') || undefined, { what: 'the pointer' });
    await waitFor(() => harness.idle(), { what: 'the queues to drain' });
    expect(messagesFor('8302')).toHaveLength(2);
  });
});

describe('uptime monitors', () => {
  const monitor = (down: boolean, extra: { downForMs?: number | null } = {}) => ({
    kind: 'uptime' as const,
    title: down ? 'Connection refused' : 'OK',
    level: down ? ('error' as const) : ('info' as const),
    // A GlitchTip host without a dot: Telegram refuses such URL buttons and would drop the whole message.
    issueUrl: 'http://glitchtip:8000/acme/uptime-monitors/5',
    uptime: { down, monitorName: 'monitor uptime-5 checkout', message: 'x', downSince: null, downForMs: extra.downForMs ?? null },
  });

  it('a recovery edits the down message and replies; a new outage is a new message replying to it', async () => {
    await harness.recordAlert('uptime-5', monitor(true));
    await harness.send('uptime-5', 'new');
    const down = await waitFor(() => harness.fake.messagesIn(chatId).find((message) => message.text?.includes('Down: monitor uptime-5')), { what: 'the down message' });
    // Item 11: the dotless link stays text, no URL button, and the message is delivered.
    expect((down.reply_markup?.inline_keyboard ?? []).flat().some((button) => 'url' in button)).toBe(false);

    await harness.recordAlert('uptime-5', monitor(false, { downForMs: 12 * 60_000 }));
    await harness.send('uptime-5', 'recovery');
    await waitFor(() => down.text?.includes('recovered after 12 min') || undefined, { what: 'the down message edited' });
    const reply = await waitFor(
      () => harness.fake.messagesIn(chatId).find((message) => message.reply_to_message_id === down.message_id && message.text?.includes('recovered after 12 min')),
      { what: 'the recovery reply' },
    );
    expect(reply.text).toContain('monitor uptime-5 checkout recovered after 12 min');

    await harness.recordAlert('uptime-5', monitor(true));
    await harness.send('uptime-5', 'outage');
    const again = await waitFor(
      () => harness.fake.messagesIn(chatId).find((message) => message.message_id > reply.message_id && message.text?.includes('Down: monitor uptime-5')),
      { what: 'the new outage message' },
    );
    expect(again.reply_to_message_id).toBe(down.message_id);
    await waitFor(() => down.text?.startsWith('⤵ down again') || undefined, { what: 'the pointer on the earlier message' });
    await waitFor(() => harness.idle(), { what: 'the queues to drain' });
    // Exactly: the down message, the recovery reply, the new outage.
    expect(harness.fake.messagesIn(chatId).filter((message) => message.text?.includes('uptime-5'))).toHaveLength(3);
  });
});

describe('the legacy "uptime" reason (jobs queued by an older build)', () => {
  const monitor = (down: boolean) => ({
    kind: 'uptime' as const,
    title: down ? 'Connection refused' : 'OK',
    level: down ? ('error' as const) : ('info' as const),
    issueUrl: 'https://glitchtip.example.com/acme/uptime-monitors/7',
    environment: 'side-chat',
    uptime: { down, monitorName: 'monitor uptime-7 search', message: 'x', downSince: null, downForMs: down ? null : 60_000 },
  });
  const downMessages = () => harness.fake.messagesIn(side).filter((message) => message.text?.includes('Down: monitor uptime-7'));

  it('is an outage (a new message in the thread) when the monitor had recovered, else a repeat', async () => {
    await harness.recordAlert('uptime-7', monitor(true));
    await harness.send('uptime-7', 'uptime');
    const [first] = await waitFor(() => downMessages().length === 1 && downMessages(), { what: 'the first down message' });
    await harness.recordAlert('uptime-7', monitor(false));
    await harness.send('uptime-7', 'recovery');
    await waitFor(() => first!.text?.includes('recovered') || undefined, { what: 'the recovery edit' });

    // Down again: process-alert recorded an outage; the job an older build queued says only "uptime".
    await harness.recordAlert('uptime-7', monitor(true));
    await harness.database.db.update(alerts).set({ lastTransition: 'outage', transitionAt: new Date() }).where(eq(alerts.issueId, 'uptime-7'));
    await harness.send('uptime-7', 'uptime');
    const again = await waitFor(() => downMessages().find((message) => message.message_id !== first!.message_id), { what: 'the outage as a new message' });
    expect(again.reply_to_message_id).toBe(first!.message_id);

    // Still down: the next legacy job edits that message in place.
    await harness.send('uptime-7', 'uptime');
    await waitFor(() => harness.idle(), { what: 'the queues to drain' });
    expect(downMessages()).toHaveLength(2);
  });
});

describe('recovery replies are deliveries of their own', () => {
  const monitor = (down: boolean) => ({
    kind: 'uptime' as const,
    title: down ? 'Connection refused' : 'OK',
    level: down ? ('error' as const) : ('info' as const),
    issueUrl: 'https://glitchtip.example.com/acme/uptime-monitors/6',
    environment: 'side-chat',
    uptime: { down, monitorName: 'monitor uptime-6 payments', message: 'x', downSince: null, downForMs: down ? null : 3 * 60_000 },
  });
  const isReply = (message: FakeMessage) => message.text?.includes('monitor uptime-6 payments recovered after 3 min') === true && message.reply_to_message_id !== undefined;
  const replyRow = async () => (await rowsOf('uptime-6')).find((row) => row.openedFor === 'recovery');

  it('a lost recovery reply stays owed (a row not sent), a re-drive sends it, and only once', async () => {
    await harness.recordAlert('uptime-6', monitor(true));
    await harness.send('uptime-6', 'new');
    const down = await waitFor(() => harness.fake.messagesIn(side).find((message) => message.text?.includes('Down: monitor uptime-6')), { what: 'the down message' });

    // Telegram refuses the reply for good: the job ends, the edit is there, the reply is not.
    harness.fake.inject.failNext(1, 400, 'Bad Request: something Telegram did not like', { method: 'sendMessage', matching: (params) => String(params.text).includes('recovered') });
    await harness.recordAlert('uptime-6', monitor(false));
    await harness.send('uptime-6', 'recovery');
    const lost = await waitFor(async () => {
      const row = await replyRow();
      return row?.status === 'failed' ? row : undefined;
    }, { what: 'the recovery reply recorded as not delivered' });
    expect(lost).toMatchObject({ generation: -1, replyToMessageId: down.message_id, messageId: null });
    expect(harness.fake.messagesIn(side).filter(isReply)).toHaveLength(0);

    // What the reconciler does: send-alert again for the recovery.
    await harness.send('uptime-6', 'recovery');
    const reply = await waitFor(() => harness.fake.messagesIn(side).find(isReply), { what: 'the re-driven recovery reply' });
    expect(reply.reply_to_message_id).toBe(down.message_id);
    await waitFor(async () => (await replyRow())?.status === 'sent' || undefined, { what: 'the reply row sent' });
    expect((await replyRow())?.messageId).toBe(reply.message_id);

    // Another re-drive, or a duplicate job: nothing more.
    await harness.send('uptime-6', 'recovery');
    await waitFor(() => harness.idle(), { what: 'the queues to drain' });
    expect(harness.fake.messagesIn(side).filter(isReply)).toHaveLength(1);
    // The down message is still the one edits go to.
    expect((await rowsOf('uptime-6')).filter((row) => row.generation > 0).map((row) => row.messageId)).toEqual([down.message_id]);
  });
});

describe('forum topics', () => {
  it('two routes to two topics of one chat each get the alert, and each is edited in place', async () => {
    await harness.recordAlert('8303', { environment: 'forum-test' });
    await harness.send('8303', 'new');
    const inTopics = await waitFor(() => {
      const found = messagesFor('8303', forum);
      return found.length === 2 && found;
    }, { what: 'the alert in both topics' });
    expect(inTopics.map((message) => message.message_thread_id).sort()).toEqual([11, 12]);
    const rows = await waitFor(async () => {
      const found = await rowsOf('8303');
      return found.every((row) => row.status === 'sent') && found.length === 2 ? found : undefined;
    }, { what: 'both rows sent' });
    expect(rows.map((row) => row.routeThreadId)).toEqual([11, 12]);

    await harness.recordAlert('8303', { environment: 'forum-test', count: 99 });
    await harness.send('8303', 'repeat');
    await waitFor(() => inTopics.every((message) => message.editCount === 1) || undefined, { what: 'both edited' });
    expect(messagesFor('8303', forum)).toHaveLength(2);
    const [row11] = await harness.database.db.select().from(alertMessages).where(and(eq(alertMessages.issueId, '8303'), eq(alertMessages.routeThreadId, 11)));
    expect(row11?.threadId).toBe(11);
  });
});

describe('mutes', () => {
  it('a muted issue sends nothing until the mute ends, then the next alert notifies', async () => {
    await harness.recordAlert('8304');
    await harness.database.db.update(alerts).set({ state: 'muted', mutedUntil: new Date(Date.now() + 3_600_000), statusBy: '@ana' }).where(eq(alerts.issueId, '8304'));
    await harness.send('8304', 'new');
    await harness.send('8304', 'regression');
    // Positive marker: both jobs finished, each saying why nothing was sent.
    const done = await waitFor(async () => {
      const jobs = (await harness.queue('send-alert').getCompleted()).filter((job) => job.data.issueId === '8304');
      return jobs.length === 2 ? jobs : undefined;
    }, { what: 'both jobs done' });
    for (const job of done) expect(job.returnvalue).toEqual({ outcomes: [{ chatId: String(chatId), action: 'muted' }] });
    expect(messagesFor('8304')).toHaveLength(0);

    await harness.database.db.update(alerts).set({ state: 'open', mutedUntil: null }).where(eq(alerts.issueId, '8304'));
    await harness.send('8304', 'realert');
    await waitFor(() => messagesFor('8304').length === 1 || undefined, { what: 'the alert once the mute ended' });
  });
});
