import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, waitFor, type FakeMessage, type TestDatabase } from '@triage/testing';
import { startHarness, type Harness } from './fixtures/send-alert-harness';

// Webhook-only mode (no GLITCHTIP_BASE_URL): a GlitchTip body says "(5 issues)" but lists 3. The ingress puts
// moreIssues on the first issue's process-alert job; its Telegram alert says "+2 more issues", linked to the list.

const listUrl = 'https://glitchtip.example.com/acme/issues';
const chatId = -1007200000001;

let database: TestDatabase;
let harness: Harness;

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await startHarness({ databaseUrl: database.url, chatId: String(chatId), chats: [{ id: chatId, type: 'supergroup' }] });
});

afterAll(async () => {
  await harness.close();
  await database.drop();
});

const alertFor = (issueId: string) => (message: FakeMessage) => message.text?.includes(`<${issueId}>`) ?? false;
const linkedText = (message: FakeMessage, url: string) =>
  message.entities.filter((entity) => entity.type === 'text_link' && entity.url === url).map((entity) => message.text!.slice(entity.offset, entity.offset + entity.length));

describe('a webhook body listing fewer issues than it counts', () => {
  it('alerts its first issue with "+2 more issues" linked to the issue list, the others without', async () => {
    expect(harness.deps.glitchtip).toBeUndefined();
    await harness.alerts([
      { issueId: '9101', moreIssues: { count: 2, url: listUrl } },
      { issueId: '9102' },
      { issueId: '9103' },
    ]);
    const messages = await waitFor(
      () => {
        const sent = ['9101', '9102', '9103'].map((issueId) => harness.fake.messagesIn(chatId).find(alertFor(issueId)));
        return sent.every((message) => message !== undefined) ? (sent) : undefined;
      },
      { what: 'the three alerts' },
    );
    const [first, ...others] = messages;
    expect(first!.text).toContain('+2 more issues');
    expect(linkedText(first!, listUrl)).toEqual(['+2 more issues']);
    for (const other of others) expect(other.text).not.toContain('more issue');
  });
});
