import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import { alertMessages, alerts } from '@triage/db';
import { digestListingKey, sendAlert, statusEditOptions } from '@triage/contracts';
import { createTestDatabase, waitFor, type FakeMessage, type TestDatabase } from '@triage/testing';
import { startHarness, type Harness } from './fixtures/send-alert-harness';

// Item 12 of issue 10: a storm digest people can act on.

const isDigest = (message: FakeMessage) => /more issues:/.test(message.text ?? '');
const mentions = (issueId: string) => (message: FakeMessage) => (message.text ?? '').includes(`<${issueId}>`);

let database: TestDatabase;
let harness: Harness;
const chatId = -1008000000001;
const issues = Array.from({ length: 9 }, (_, index) => String(8500 + index));

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await startHarness({
    databaseUrl: database.url,
    chatId: String(chatId),
    chats: [{ id: chatId, type: 'supergroup' }],
    pacerLimits: { perChat: { limit: 1, windowMs: 1_500 } },
  });
  for (const issueId of issues) await harness.recordAlert(issueId);
  for (const issueId of issues) await harness.send(issueId, 'new');
  await waitFor(() => harness.idle(), { what: 'the storm delivered', timeoutMs: 60_000, intervalMs: 250 });
}, 90_000);

afterAll(async () => {
  await harness.close();
  await database.drop();
});

async function theDigest(): Promise<{ digest: FakeMessage; digested: string[] }> {
  const digest = harness.fake.messagesIn(chatId).find(isDigest);
  expect(digest).toBeDefined();
  const rows = await harness.database.db.select().from(alertMessages).where(and(eq(alertMessages.chatId, String(chatId)), eq(alertMessages.status, 'digest')));
  return { digest: digest!, digested: rows.map((row) => row.issueId) };
}

describe('storm digests carry actions', () => {
  it('each listed issue has its row of buttons: number, Investigate, Resolve, Mute 1h; the listing is saved', async () => {
    const { digest, digested } = await theDigest();
    expect(digested.length).toBeGreaterThan(5);
    const rows = digest.reply_markup!.inline_keyboard;
    expect(rows).toHaveLength(digested.length);
    for (const row of rows) {
      const issueId = /\|(\d+)$/.exec(String(row[1]!.callback_data))![1]!;
      expect(digested).toContain(issueId);
      expect(row.map((button) => button.callback_data ?? button.url)).toEqual([
        `http://glitchtip.test/acme/issues/${issueId}`,
        `v1|i|${issueId}`,
        `v1|r|${issueId}`,
        `v1|m|${issueId}|1`,
      ]);
    }
    const listing = JSON.parse((await harness.deps.redis.get(digestListingKey(harness.prefix, String(chatId), digest.message_id)))!) as { issueIds: string[]; rest: string[] };
    expect([...listing.issueIds].sort()).toEqual([...digested].sort());
    expect(listing.rest).toEqual([]);
  });

  it('an action on a digested issue edits the digest to say who did what', async () => {
    const { digest, digested } = await theDigest();
    const acted = digested[1]!;
    await harness.database.db.update(alerts).set({ state: 'resolved', statusBy: '@ana', statusAt: new Date() }).where(eq(alerts.issueId, acted));
    await harness.deps.producer.enqueue(sendAlert, { issueId: acted, reason: 'status', edit: true }, statusEditOptions(acted));
    await waitFor(() => digest.text?.includes('✅ Resolved by @ana') || undefined, { what: 'the digest edited' });
    const line = digest.text!.split('\n').find((candidate) => candidate.includes(`<${acted}>`));
    expect(line).toContain('✅ Resolved by @ana');
    expect(digest.reply_markup!.inline_keyboard.length).toBe(digested.length);
    // Nothing new was posted for a status change.
    await waitFor(() => harness.idle(), { what: 'the edit done' });
    expect(harness.fake.messagesIn(chatId).filter(mentions(acted)).filter((message) => !isDigest(message))).toHaveLength(0);
  });

  it('a digested issue that alerts again after the storm gets its own message', async () => {
    const { digested } = await theDigest();
    const again = digested[2]!;
    await harness.database.db
      .update(alertMessages)
      .set({ updatedAt: sql`now() - interval '31 minutes'` })
      .where(and(eq(alertMessages.issueId, again), eq(alertMessages.status, 'digest')));
    await harness.send(again, 'repeat');
    const own = await waitFor(() => harness.fake.messagesIn(chatId).find((message) => !isDigest(message) && mentions(again)(message)), { what: 'its own message' });
    expect(own.reply_markup!.inline_keyboard.flat().some((button) => button.callback_data === `v1|r|${again}`)).toBe(true);
  });
});
