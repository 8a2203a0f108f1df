import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { alertMessages } from '@triage/db';
import { createTestDatabase, waitFor, type FakeMessage, type TestDatabase } from '@triage/testing';
import { startHarness, type Harness } from './fixtures/send-alert-harness';

// A change that lands after the first send read the alert but before it claimed its message (the runbook linked by
// link-runbook, an investigation summary) must be in the message: its own edit found nothing to edit yet.

const runbookUrl = 'https://wiki.example.com/runbooks/fresh-render';
const urlsOf = (message: FakeMessage) => (message.reply_markup?.inline_keyboard ?? []).flat().flatMap((button) => ('url' in button && button.url ? [button.url] : []));

let database: TestDatabase;
let harness: Harness;
const chatId = -1007100000001;

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await startHarness({ databaseUrl: database.url, chatId: String(chatId), chats: [{ id: chatId, type: 'supergroup' }] });
  // The send job creates its message row after reading the alert: at that moment the runbook gets linked.
  await harness.database.db.execute(
    sql.raw(`
      create function link_runbook_mid_send() returns trigger language plpgsql as $$ begin
        if new.issue_id = '8501' then
          update alerts set runbook = '{"name":"db","title":"DB","url":"${runbookUrl}"}'::jsonb where issue_id = new.issue_id;
        end if;
        return new;
      end $$;
      create trigger link_runbook_mid_send before insert on alert_messages for each row execute function link_runbook_mid_send();
    `),
  );
});

afterAll(async () => {
  await harness.close();
  await database.drop();
});

describe('a change between reading the alert and claiming the message', () => {
  it('is in the message sent (rendered at claim time)', async () => {
    await harness.recordAlert('8501');
    await harness.send('8501', 'new');
    const message = await waitFor(() => harness.fake.messagesIn(chatId).find((sent) => sent.text?.includes('<8501>')), { what: 'the alert' });
    await waitFor(async () => {
      const [row] = await harness.database.db.select().from(alertMessages).where(eq(alertMessages.issueId, '8501'));
      return row?.status === 'sent' || undefined;
    }, { what: 'the row marked sent' });
    await waitFor(() => harness.idle(), { what: 'the queue to drain' });
    expect(urlsOf(message)).toContain(runbookUrl);
    expect(message.editCount).toBe(0);
  });
});
