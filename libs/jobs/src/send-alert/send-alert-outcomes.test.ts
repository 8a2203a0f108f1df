import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { alertMessages, auditLog } from '@triage/db';
import { sendAlert } from '@triage/contracts';
import { deliveryCountersKey } from '@triage/contracts';
import { createTestDatabase, waitFor, type FakeMessage, type TestDatabase } from '@triage/testing';
import { startHarness, type Harness } from './fixtures/send-alert-harness';

// Items 6, 7 and 8 of issue 10: a message Telegram accepted is never sent twice, an unknown outcome still delivers,
// a failed digest loses nothing.

const mentions = (issueId: string) => (message: FakeMessage) => (message.text ?? '').includes(`<${issueId}>`);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('bookkeeping after a send (Postgres fails right after Telegram answered)', () => {
  const chatId = -1007000000001;
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ databaseUrl: database.url, chatId: String(chatId), chats: [{ id: chatId, type: 'supergroup' }] });
    // The first time a row of these issues is marked sent or digest, Postgres refuses (a sequence is not rolled back).
    await harness.database.db.execute(
      sql.raw(`
        create sequence fail_bookkeeping_once;
        create function fail_bookkeeping_once() returns trigger language plpgsql as $$ begin
          if new.status in ('sent', 'digest') and new.issue_id like '84%' and nextval('fail_bookkeeping_once') = 1 then
            raise exception 'injected: Postgres failed right after the send';
          end if;
          return new;
        end $$;
        create trigger fail_bookkeeping_once before update on alert_messages for each row execute function fail_bookkeeping_once();
      `),
    );
  });

  afterAll(async () => {
    await harness.close();
  });

  it('sends exactly one message and finishes the bookkeeping on the retry', async () => {
    await harness.recordAlert('8401');
    await harness.send('8401', 'new');
    const message = await waitFor(() => harness.fake.messagesIn(chatId).find(mentions('8401')), { what: 'the alert' });
    const [row] = await waitFor(async () => {
      const rows = await harness.database.db.select().from(alertMessages).where(eq(alertMessages.issueId, '8401'));
      return rows[0]?.status === 'sent' ? rows : undefined;
    }, { what: 'the row marked sent on the retry', timeoutMs: 30_000 });
    expect(row?.messageId).toBe(message.message_id);
    await waitFor(() => harness.idle(), { what: 'the queue to drain' });
    expect(harness.fake.messagesIn(chatId).filter(mentions('8401'))).toHaveLength(1);
    expect(harness.fake.callsTo('sendMessage').filter((call) => String(call.params.text).includes('8401'))).toHaveLength(1);
    const [job] = (await harness.queue('send-alert').getCompleted()).filter((done) => done.data.issueId === '8401');
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(2);
    const audits = await harness.database.db.select().from(auditLog).where(eq(auditLog.issueId, '8401'));
    expect(audits.filter((audit) => audit.action === 'send-alert' && audit.result === 'ok')).toHaveLength(1);
  });
});

describe('unknown outcomes', () => {
  const chatId = -1007000000002;
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ databaseUrl: database.url, chatId: String(chatId), chats: [{ id: chatId, type: 'supergroup' }] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('a claim left "sending" by a killed worker: the retry still delivers, marked as a possible repeat, and counts it', async () => {
    await harness.recordAlert('8411');
    // What a worker killed between claim and send leaves: the row claimed (long enough ago to be stale), no message,
    // and its job (created before the claim) retried.
    await harness.database.db.insert(alertMessages).values({
      issueId: '8411',
      chatId: String(chatId),
      status: 'sending',
      updatedAt: new Date(Date.now() - 2 * 60_000),
    });
    const job = await harness.deps.producer.enqueue(sendAlert, { issueId: '8411', reason: 'new' }, { timestamp: Date.now() - 5 * 60_000 });
    const message = await waitFor(() => harness.fake.messagesIn(chatId).find(mentions('8411')), { what: 'the alert despite the dead claim' });
    expect(message.text).toContain('(possible repeat)');
    await waitFor(async () => (await harness.queue('send-alert').getJobState(job.id!)) === 'completed' || undefined, { what: 'the job done' });
    const [row] = await harness.database.db.select().from(alertMessages).where(eq(alertMessages.issueId, '8411'));
    expect(row).toMatchObject({ status: 'sent', messageId: message.message_id });
    expect(Number(await harness.deps.redis.hget(deliveryCountersKey(harness.prefix), 'alert'))).toBe(1);
  });
});

describe('digests fail alone', () => {
  // One message per chat every 1.5 s: alerts queue up, and the next slot goes to a digest of everything waiting.
  const pacerLimits = { perChat: { limit: 1, windowMs: 1_500 } };
  const issues = (base: number) => Array.from({ length: 9 }, (_, index) => String(base + index));

  async function stormWithRefusedDigest(chatId: number, base: number, refuse: (harness: Harness) => void | Promise<void>): Promise<Harness> {
    const harness = await startHarness({ databaseUrl: database.url, chatId: String(chatId), chats: [{ id: chatId, type: 'supergroup' }], pacerLimits });
    await refuse(harness);
    for (const issueId of issues(base)) await harness.recordAlert(issueId);
    for (const issueId of issues(base)) await harness.send(issueId, 'new');
    await waitFor(() => harness.idle(), { what: 'the storm delivered', timeoutMs: 60_000, intervalMs: 250 });
    return harness;
  }

  const isDigest = (params: Record<string, unknown>) => /more issues:/.test(String(params.text));

  it.each([
    ['refused (400)', 400, 'Bad Request: something Telegram did not like'],
    ['timed out at a gateway (502)', 502, 'Bad Gateway'],
  ])('a digest %s hands its issues back: every issue still arrives, nothing failed', async (_name, code, description) => {
    const chatId = code === 400 ? -1007000000010 : -1007000000011;
    const base = code === 400 ? 8420 : 8440;
    const harness = await stormWithRefusedDigest(chatId, base, (started) =>
      started.fake.inject.failNext(1, code, description, { method: 'sendMessage', matching: isDigest }),
    );
    try {
      const refused = harness.fake.calls.filter((call) => call.method === 'sendMessage' && isDigest(call.params));
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0]!.response.status).toBe(code);
      const messages = harness.fake.messagesIn(chatId);
      for (const issueId of issues(base)) {
        const own = messages.filter((message) => !/more issues:/.test(message.text ?? '') && mentions(issueId)(message)).length;
        const inDigests = messages.filter((message) => /more issues:/.test(message.text ?? '') && (message.text ?? '').includes(`<${issueId}>`)).length;
        expect({ issueId, delivered: own + inDigests }).toEqual({ issueId, delivered: 1 });
      }
      expect(await harness.queue('send-alert').getFailed()).toEqual([]);
      const rows = await harness.database.db.select().from(alertMessages).where(eq(alertMessages.chatId, String(chatId)));
      expect(rows.map((row) => row.status).sort()).toEqual(rows.map(() => 'sent'));
    } finally {
      await harness.close();
    }
  }, 90_000);

  it('Postgres failing right after a digest was sent: the digest is not sent again, each issue once', async () => {
    const chatId = -1007000000012;
    const base = 8460;
    const failOnce = `
      create sequence fail_digest_once;
      create function fail_digest_once() returns trigger language plpgsql as $$ begin
        if new.status = 'digest' and new.issue_id like '846%' and nextval('fail_digest_once') = 1 then
          raise exception 'injected: Postgres failed right after the digest';
        end if;
        return new;
      end $$;
      create trigger fail_digest_once before update on alert_messages for each row execute function fail_digest_once();
    `;
    const harness = await stormWithRefusedDigest(chatId, base, async (started) => {
      await started.database.db.execute(sql.raw(failOnce));
    });
    try {
      const messages = harness.fake.messagesIn(chatId);
      const digests = messages.filter((message) => /more issues:/.test(message.text ?? ''));
      expect(digests).toHaveLength(1);
      for (const issueId of issues(base)) {
        const own = messages.filter((message) => !/more issues:/.test(message.text ?? '') && mentions(issueId)(message)).length;
        const inDigest = digests.filter((message) => (message.text ?? '').includes(`<${issueId}>`)).length;
        expect({ issueId, delivered: own + inDigest }).toEqual({ issueId, delivered: 1 });
      }
      expect(await harness.queue('send-alert').getFailed()).toEqual([]);
      const rows = await harness.database.db.select().from(alertMessages).where(eq(alertMessages.chatId, String(chatId)));
      expect(rows.every((row) => row.status === 'sent' || (row.status === 'digest' && row.messageId === digests[0]!.message_id))).toBe(true);
    } finally {
      await harness.close();
    }
  }, 90_000);
});
