import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { alerts, connectDatabase, issueStates, type DatabaseHandle } from '@triage/db';
import type { ProcessAlertPayload } from '@triage/contracts';
import { createTestDatabase, type TestDatabase } from '@triage/testing';
import { buildAlertSnapshot } from './alert-snapshot';
import { recordAlertSignal } from './alert-repository';
import { recordMute, recordStatusChange } from './alert-status-repository';

let testDatabase: TestDatabase;
let database: DatabaseHandle;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = connectDatabase(testDatabase.url, { max: 8 });
});

afterAll(async () => {
  await database.close();
  await testDatabase.drop();
});

const window = 5 * 60_000;

function issue(issueId: string, receivedAt: Date): ProcessAlertPayload {
  return {
    kind: 'issue',
    issueId,
    title: `Error ${issueId}`,
    culprit: null,
    url: `http://glitchtip.test/acme/issues/${issueId}`,
    orgSlug: 'acme',
    levelHint: 'error',
    project: 'backend',
    environment: null,
    release: null,
    serverName: null,
    shortId: null,
    extraTags: {},
    source: 'webhook',
    receivedAt: receivedAt.toISOString(),
    regression: false,
  };
}

const record = (payload: ProcessAlertPayload, signalKey: string, count: number | null = null) =>
  recordAlertSignal(database.db, {
    snapshot: { ...buildAlertSnapshot(payload, null, 'component'), count },
    source: 'webhook',
    receivedAt: new Date(payload.receivedAt),
    signalKey,
    regressionSeen: false,
    suppressed: false,
    dedupWindowMs: window,
  });

describe('recordAlertSignal', () => {
  it('judges concurrent signals of one new issue one after the other: one new, the rest duplicates', async () => {
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 6 }, (_, index) => record(issue('801', now), `job-${index}`)));
    const decisions = results.map((result) => (result.decision.action === 'record' ? result.decision.transition : result.decision.action === 'skip' ? result.decision.why : 'retry'));
    expect(decisions.sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'new']);
    const [row] = await database.db.select().from(alerts).where(eq(alerts.issueId, '801'));
    expect(row).toMatchObject({ alertCount: 1, lastTransition: 'new', notifyingTransition: 'new' });
  });

  it('a retry of the same job writes nothing and gets its decision back', async () => {
    const now = new Date();
    const first = await record(issue('802', now), 'job-a@1');
    const again = await record(issue('802', now), 'job-a@1');
    expect(first.decision).toMatchObject({ action: 'record', transition: 'new' });
    expect(again.decision).toEqual({ action: 'retry', transition: 'new' });
    expect(again.alertCount).toBe(1);
  });

  it('keeps a mute made before the first alert, and counts past 2^31', async () => {
    await recordMute(database.db, { issueId: '803', by: '@ana', at: new Date(), until: new Date(Date.now() + 3_600_000) });
    const recorded = await record(issue('803', new Date()), 'job-b@1', 3_000_000_000);
    expect(recorded).toMatchObject({ decision: { action: 'record', transition: 'new', muted: true }, state: 'muted', alertCount: 1 });
    const [known] = await database.db.select().from(issueStates).where(eq(issueStates.issueId, '803'));
    expect(known!.eventCount).toBe(3_000_000_000);
  });

  it('an alert after a resolve is recorded as a regression (webhook only) and reopens the alert', async () => {
    const now = new Date();
    await record(issue('804', now), 'job-c@1');
    await recordStatusChange(database.db, { issueId: '804', status: 'resolved', by: '@ana', at: new Date() });
    const back = await record(issue('804', new Date(now.getTime() + 1_000)), 'job-c@2');
    expect(back).toMatchObject({ decision: { action: 'record', transition: 'regression', reopen: true }, state: 'open', alertCount: 2 });
    expect(back.snapshot).toMatchObject({ regression: true, transition: 'regression' });
  });
});
