import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { alerts, connectDatabase, type DatabaseHandle } from '@triage/db';
import { createTestDatabase, type TestDatabase } from '@triage/testing';
import { attachInvestigationSummary, attachRunbook, recordOutcomeOnAlert } from './alert-attachments';
import { recordMute } from './alert-status-repository';

let testDatabase: TestDatabase;
let database: DatabaseHandle;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = connectDatabase(testDatabase.url, { max: 2 });
});

afterAll(async () => {
  await database.close();
  await testDatabase.drop();
});

const alertOf = async (issueId: string) => (await database.db.select().from(alerts).where(eq(alerts.issueId, issueId)))[0];

describe('what other concerns attach to an alert', () => {
  it('a runbook: true when the button changes, false when it is already there or the issue has no alert', async () => {
    await recordMute(database.db, { issueId: '901', by: '@ana', at: new Date(), until: new Date(Date.now() + 60_000) });
    const runbook = { name: 'db-pool', title: 'Database pool exhausted', url: 'https://triage.test/runbooks/db-pool' };
    expect(await attachRunbook(database.db, '901', runbook)).toBe(true);
    expect(await attachRunbook(database.db, '901', { ...runbook })).toBe(false);
    expect(await attachRunbook(database.db, '901', { ...runbook, title: 'Pool exhausted' })).toBe(true);
    expect(await attachRunbook(database.db, '999', runbook)).toBe(false);
    expect((await alertOf('901'))?.runbook).toEqual({ ...runbook, title: 'Pool exhausted' });
  });

  it("an investigation's summary and an episode's outcome, inside a transaction too", async () => {
    await recordMute(database.db, { issueId: '902', by: '@ana', at: new Date(), until: new Date(Date.now() + 60_000) });
    const summary = { investigationId: 7, summary: 'cart.ts:42 reads cart.items before the cart loads', url: null };
    expect(await attachInvestigationSummary(database.db, '902', summary)).toBe(true);
    expect(await attachInvestigationSummary(database.db, '998', summary)).toBe(false);
    const outcome = { acknowledgedBy: '@ana', acknowledgedAt: '2026-12-03T14:00:00.000Z', group: 'treatment' as const };
    await database.db.transaction((tx) => recordOutcomeOnAlert(tx, '902', outcome));
    expect(await alertOf('902')).toMatchObject({ investigation: summary, outcome });
  });
});
