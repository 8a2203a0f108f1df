import { and, eq, inArray, sql } from 'drizzle-orm';
import { alerts, issueStates, type Database } from '@triage/db';
import { alertStateOfStatus, type IssueStatus } from './alert-state';

/**
 * The other writes of `alerts` and `issue_states`: what people do in Telegram (resolve, ignore, reopen, mute,
 * unmute) and what the poller learns from GlitchTip. With recordAlertSignal, the only code that writes these tables.
 */

/** Resolve, ignore or reopen by a person. Ends a mute too: whatever comes next should be seen. Returns whether the issue had an alert row. */
export async function recordStatusChange(db: Database, change: { issueId: string; status: IssueStatus; by: string; at: Date }): Promise<boolean> {
  const updated = await db
    .update(alerts)
    .set({ state: alertStateOfStatus[change.status], statusBy: change.by, statusAt: change.at, mutedUntil: null, updatedAt: change.at })
    .where(eq(alerts.issueId, change.issueId))
    .returning({ id: alerts.id });
  await db
    .insert(issueStates)
    .values({ issueId: change.issueId, status: change.status })
    .onConflictDoUpdate({ target: issueStates.issueId, set: { status: change.status, updatedAt: sql`now()` } });
  return updated.length > 0;
}

/** A mute until `until`. A mute before the first alert creates the row (no snapshot): process-alert keeps its muted_until. */
export async function recordMute(db: Database, mute: { issueId: string; by: string; at: Date; until: Date }): Promise<void> {
  const muted = { state: 'muted' as const, statusBy: mute.by, statusAt: mute.at, mutedUntil: mute.until, updatedAt: mute.at };
  await db
    .insert(alerts)
    .values({ issueId: mute.issueId, source: 'telegram', title: `Issue ${mute.issueId}`, ...muted })
    .onConflictDoUpdate({ target: alerts.issueId, set: muted });
}

/** A mute lifted (by a person, or by its expiry: `by` null). A muted alert goes back to open; another state stays. */
export async function recordUnmute(db: Database, unmute: { issueId: string; by: string | null; at: Date; wasMuted: boolean }): Promise<void> {
  await db
    .update(alerts)
    .set({
      mutedUntil: null,
      updatedAt: unmute.at,
      ...(unmute.wasMuted ? { state: 'open', statusBy: unmute.by, statusAt: unmute.by ? unmute.at : null } : {}),
    })
    .where(eq(alerts.issueId, unmute.issueId));
}

export interface PolledIssueState {
  id: string;
  status: IssueStatus;
  count: number;
  lastSeen: string;
}

/** What the poller saw of each issue (status, count, last seen). */
export async function recordPolledIssues(db: Database, issues: PolledIssueState[]): Promise<void> {
  for (const issue of issues) {
    const fields = { status: issue.status, eventCount: issue.count, lastSeen: new Date(issue.lastSeen) };
    await db
      .insert(issueStates)
      .values({ issueId: issue.id, ...fields })
      .onConflictDoUpdate({ target: issueStates.issueId, set: { ...fields, updatedAt: sql`now()` } });
  }
}

/** Issues whose status the poller re-read move to the back of its rotation. */
export async function markIssuesChecked(db: Database, issueIds: string[]): Promise<void> {
  if (issueIds.length === 0) return;
  await db.update(issueStates).set({ updatedAt: sql`now()` }).where(and(inArray(issueStates.issueId, issueIds), eq(issueStates.status, 'unresolved')));
}

/** Resolved or ignored in GlitchTip's own UI: recorded, and an open alert takes that state ("by GlitchTip"). */
export async function recordClosedInGlitchTip(db: Database, issue: PolledIssueState): Promise<void> {
  await db
    .update(issueStates)
    .set({ status: issue.status, eventCount: issue.count, lastSeen: new Date(issue.lastSeen), updatedAt: sql`now()` })
    .where(eq(issueStates.issueId, issue.id));
  await db
    .update(alerts)
    .set({ state: alertStateOfStatus[issue.status], statusBy: 'GlitchTip', statusAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(alerts.issueId, issue.id), eq(alerts.state, 'open')));
}
