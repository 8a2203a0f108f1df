import { and, eq, sql } from 'drizzle-orm';
import { alerts, type Database } from '@triage/db';
import type { AlertRow } from './alert-repository';

/**
 * What other concerns put on an alert for its message to show: the investigation's summary line, the linked runbook,
 * the outcome episode's acknowledgement and A/B group. Their modules decide what; only this lib writes `alerts`.
 */

export type InvestigationOnAlert = NonNullable<AlertRow['investigation']>;
export type RunbookOnAlert = NonNullable<AlertRow['runbook']>;
export type OutcomeOnAlert = NonNullable<AlertRow['outcome']>;

/** A database or a transaction: the outcome is written inside the episode's own transaction. */
type Writer = Pick<Database, 'update'>;

/** The latest investigation's summary line on the alert; false when the issue has no alert row. */
export async function attachInvestigationSummary(db: Writer, issueId: string, summary: InvestigationOnAlert): Promise<boolean> {
  const updated = await db.update(alerts).set({ investigation: summary }).where(eq(alerts.issueId, issueId)).returning({ id: alerts.id });
  return updated.length > 0;
}

/** The linked runbook on the alert (its Runbook button); true only when that changed what the alert shows. */
export async function attachRunbook(db: Writer, issueId: string, runbook: RunbookOnAlert): Promise<boolean> {
  const changed = await db
    .update(alerts)
    .set({ runbook })
    .where(and(eq(alerts.issueId, issueId), sql`${alerts.runbook} is distinct from ${JSON.stringify(runbook)}::jsonb`))
    .returning({ id: alerts.id });
  return changed.length > 0;
}

/** The current outcome episode as the alert shows it (acknowledged by whom, A/B group); nothing when there is no alert row. */
export async function recordOutcomeOnAlert(db: Writer, issueId: string, outcome: OutcomeOnAlert): Promise<void> {
  await db.update(alerts).set({ outcome }).where(eq(alerts.issueId, issueId));
}
