import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { alerts, issueStates } from '@triage/db';
import { createTestDatabase, type TestDatabase } from '@triage/testing';
import { ALERT_DEDUP_WINDOW_MS } from '@triage/contracts';
import { issueSignal, startOfWindow, startProcessAlertHarness, uptimeSignal, type ProcessAlertHarness } from '@triage/testing/process-alert';

const seconds = (base: Date, count: number) => new Date(base.getTime() + count * 1_000);

let database: TestDatabase;
let harness: ProcessAlertHarness;

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await startProcessAlertHarness({ databaseUrl: database.url });
});

afterAll(async () => {
  await harness.close();
  await database.drop();
});

async function alertRow(issueKey: string) {
  const [row] = await harness.database.db.select().from(alerts).where(eq(alerts.issueId, issueKey));
  return row!;
}

/** What a resolve from Telegram leaves behind (issue-action's writes), without going through its job. */
async function resolvedByPerson(issueId: string) {
  await harness.database.db.update(alerts).set({ state: 'resolved', statusBy: '@ana', statusAt: new Date() }).where(eq(alerts.issueId, issueId));
  await harness.database.db.update(issueStates).set({ status: 'resolved' }).where(eq(issueStates.issueId, issueId));
}

describe('process-alert decides what each signal changed', () => {
  it('processes a regression inside the dedup window of the first alert, as a regression (issue 10 item 3)', async () => {
    const base = startOfWindow(ALERT_DEDUP_WINDOW_MS);
    await harness.process(issueSignal('9101', base));
    await resolvedByPerson('9101');
    // Same issue, same window, same webhook body: before, the job id (issue + window) swallowed it.
    await harness.process(issueSignal('9101', seconds(base, 20)));
    expect(await harness.sendReasons('9101')).toEqual(['new', 'regression']);
    expect(await alertRow('9101')).toMatchObject({ state: 'open', statusBy: null, lastTransition: 'regression', alertCount: 2 });
  });

  it('processes a monitor down, up and down again inside one window: new, recovery, outage (issue 10 items 2 and 3)', async () => {
    const base = startOfWindow(ALERT_DEDUP_WINDOW_MS);
    await harness.process(uptimeSignal('77', true, base));
    await harness.process(uptimeSignal('77', false, seconds(base, 30)));
    const recovered = await alertRow('uptime-77');
    expect(recovered.snapshot).toMatchObject({ transition: 'recovery', uptime: { down: false, downSince: base.toISOString(), downForMs: 30_000 } });
    await harness.process(uptimeSignal('77', true, seconds(base, 50)));
    expect(await harness.sendReasons('uptime-77')).toEqual(['new', 'recovery', 'outage']);
    expect((await alertRow('uptime-77')).snapshot).toMatchObject({ transition: 'outage', uptime: { down: true, downSince: seconds(base, 50).toISOString(), downForMs: null } });
  });

  it('collapses a true repeat inside the window, and edits for one after it', async () => {
    const base = startOfWindow(ALERT_DEDUP_WINDOW_MS);
    await harness.process(issueSignal('9102', base));
    // GlitchTip firing a second alert rule for the same issue, after the first job finished.
    const repeated = await harness.process(issueSignal('9102', seconds(base, 40)));
    expect(repeated).toMatchObject({ skipped: 'duplicate' });
    expect(await harness.sendReasons('9102')).toEqual(['new']);
    await harness.process(issueSignal('9102', new Date(base.getTime() + ALERT_DEDUP_WINDOW_MS + 60_000)));
    expect(await harness.sendReasons('9102')).toEqual(['new', 'repeat']);
    expect(await alertRow('9102')).toMatchObject({ alertCount: 2, lastTransition: 'repeat' });
  });

  it('collapses identical signals while the first still waits (a body posted twice)', async () => {
    const base = startOfWindow(ALERT_DEDUP_WINDOW_MS);
    const jobs = await Promise.all([harness.enqueue(issueSignal('9103', base)), harness.enqueue(issueSignal('9103', seconds(base, 1)))]);
    expect(jobs[1].id).toBe(jobs[0].id);
  });

  it('sends nothing while muted, and a realert once the mute has ended', async () => {
    const base = startOfWindow(ALERT_DEDUP_WINDOW_MS);
    await harness.process(issueSignal('9104', base));
    const mutedUntil = new Date(Date.now() + 3_600_000);
    await harness.database.db.update(alerts).set({ state: 'muted', mutedUntil, statusBy: '@ana', statusAt: new Date() }).where(eq(alerts.issueId, '9104'));
    const muted = await harness.process(issueSignal('9104', new Date(base.getTime() + ALERT_DEDUP_WINDOW_MS + 1_000)));
    expect(muted).toMatchObject({ muted: true, transition: 'repeat' });
    expect(await harness.sendReasons('9104')).toEqual(['new']);
    // The mute ran out (its expiry job has not run yet): the next alert is news.
    await harness.database.db.update(alerts).set({ mutedUntil: new Date(Date.now() - 1_000) }).where(eq(alerts.issueId, '9104'));
    await harness.process(issueSignal('9104', new Date(base.getTime() + 2 * ALERT_DEDUP_WINDOW_MS + 1_000)));
    expect(await harness.sendReasons('9104')).toEqual(['new', 'realert']);
    expect(await alertRow('9104')).toMatchObject({ state: 'open', mutedUntil: null });
  });

  it('a poller regression with the event count gets its own job id', async () => {
    const base = startOfWindow(ALERT_DEDUP_WINDOW_MS);
    const first = await harness.enqueue(issueSignal('9105', base, { source: 'poller', regression: true, eventCount: 10 }));
    const more = await harness.enqueue(issueSignal('9105', seconds(base, 1), { source: 'poller', regression: true, eventCount: 12 }));
    expect(more.id).not.toBe(first.id);
  });
});
