import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { alerts, connectDatabase, type DatabaseHandle } from '@triage/db';
import { createTestDatabase, type TestDatabase } from '@triage/testing';
import { lintRunbooks } from './lint-runbooks';
import { matchRunbooks } from './match-runbooks';
import { answerRunbookCommand, runbookReplyLines } from './runbook-command';
import type { RunbookLinkRow } from './runbook-links';

const runbooks = lintRunbooks([
  { file: 'runbooks/redis.md', text: "---\ntitle: Redis <down>\npatterns: ['ECONNREFUSED [0-9.]+:6379']\npriority: 5\n---\n" },
  { file: 'runbooks/refused.md', text: "---\ntitle: Connection refused\npatterns: ['ECONNREFUSED']\ncomponents: [api]\n---\n" },
]).runbooks;

const posted = (runbook: string): RunbookLinkRow =>
  ({ id: 1, issueId: '42', runbookPath: runbook, score: 1, commentId: '7', createdAt: new Date(), state: 'posted', why: [], claimedAt: null, claimedBy: null, postedAt: new Date() });

describe('runbookReplyLines (/runbook <id>)', () => {
  it('shows the match, why (PII scrubbed, escaped), whether it is linked, and other matches', () => {
    const outcome = matchRunbooks(runbooks, { title: 'Error: connect ECONNREFUSED 10.0.0.1:6379 for ana@example.com', component: 'api' });
    expect(runbookReplyLines({ issueId: '42', outcome, links: [posted('redis')], publicUrl: 'https://triage.example.com' })).toEqual([
      '<b>📖 Runbook for issue 42</b>',
      '<a href="https://triage.example.com/r/redis?issue=42">Redis &lt;down&gt;</a>',
      '',
      '<b>Why it matched</b>',
      '• title matches /ECONNREFUSED [0-9.]+:6379/: &quot;Error: connect ECONNREFUSED [ip]:6379 for [email]&quot;',
      '• priority 5',
      '',
      'Linked in a GlitchTip comment.',
      'Also matching: <code>refused</code>',
    ]);
  });

  it('says "no runbook" and names the closest with what kept each out', () => {
    const outcome = matchRunbooks(runbooks, { title: 'Error: connect ECONNREFUSED 10.0.0.1:8080', component: 'worker' });
    expect(runbookReplyLines({ issueId: '42', outcome, links: [], publicUrl: 'https://triage.example.com' })).toEqual([
      '📖 No runbook matches issue 42.',
      '',
      '<b>Closest</b>',
      '• <a href="https://triage.example.com/r/refused?issue=42">Connection refused</a>: title matches /ECONNREFUSED/ but component &quot;worker&quot; is not one of api',
    ]);
  });

  it('keeps titles as text when Telegram would refuse the link (a host without a dot)', () => {
    const outcome = matchRunbooks(runbooks, { title: 'connect ECONNREFUSED 10.0.0.1:6379' });
    expect(runbookReplyLines({ issueId: '42', outcome, links: [], publicUrl: 'http://localhost:3000' }).slice(0, 2)).toEqual(['<b>📖 Runbook for issue 42</b>', 'Redis &lt;down&gt;']);
  });

  it('says when nothing comes close', () => {
    expect(runbookReplyLines({ issueId: '42', outcome: matchRunbooks(runbooks, { title: 'TypeError: cart is undefined' }), links: [], publicUrl: 'https://t.example.com' })).toEqual([
      '📖 No runbook matches issue 42.',
      'None comes close.',
    ]);
  });
});

describe('answerRunbookCommand without the GlitchTip API', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
    handle = connectDatabase(database.url, { max: 1 });
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it('matches the alert Triage recorded, with its component, and says when the issue is unknown', async () => {
    await handle.db.insert(alerts).values({ issueId: '88', source: 'webhook', title: 'Error: connect ECONNREFUSED 10.0.0.1:5000', component: 'api', snapshot: { culprit: 'net in connect' } });
    const lines = await answerRunbookCommand({ db: handle.db, runbooks, issueId: '88', publicUrl: 'https://t.example.com', facts: undefined });
    expect(lines.slice(0, 2)).toEqual(['<b>📖 Runbook for issue 88</b>', '<a href="https://t.example.com/r/refused?issue=88">Connection refused</a>']);
    expect(lines).toContain('• component &quot;api&quot; is one of api');
    expect(await answerRunbookCommand({ db: handle.db, runbooks, issueId: '89', publicUrl: 'https://t.example.com', facts: undefined })).toEqual([
      '📖 Issue 89 is unknown: GlitchTip did not describe it (no API, unreachable, or no such issue) and Triage never alerted it.',
    ]);
  });
});
