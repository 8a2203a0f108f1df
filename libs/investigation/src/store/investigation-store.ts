import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { attachInvestigationSummary } from '@triage/alerts';
import { investigations, type Database } from '@triage/db';

/** A run's lifecycle; only this module writes the `investigations` table. */
export type InvestigationStatus = 'running' | 'done' | 'partial' | 'failed' | 'skipped';
export const votes = ['helpful', 'not-helpful'] as const;
export type Vote = (typeof votes)[number];

export interface RunStart {
  issueId: string;
  eventId: string | null;
  requestedBy: string;
}

export interface RunFinish {
  status: Exclude<InvestigationStatus, 'running'>;
  summary: string | null;
  result: Record<string, unknown> | null;
  durationMs: number;
  timings: Record<string, number>;
  timedOutStep: string | null;
  fromCache: boolean;
  reportHash: string | null;
  commentId: string | null;
}

export async function startRun(db: Database, run: RunStart): Promise<number> {
  const [row] = await db
    .insert(investigations)
    .values({ issueId: run.issueId, eventId: run.eventId, requestedBy: run.requestedBy, status: 'running' satisfies InvestigationStatus })
    .returning({ id: investigations.id });
  return row!.id;
}

export async function finishRun(db: Database, id: number, finish: RunFinish): Promise<void> {
  await db
    .update(investigations)
    .set({ ...finish, finishedAt: new Date() })
    .where(eq(investigations.id, id));
}

/** The comment an earlier run posted on the issue (and the report hash it holds), if any. */
export async function lastComment(db: Database, issueId: string): Promise<{ commentId: string; reportHash: string | null } | undefined> {
  const [row] = await db
    .select({ commentId: investigations.commentId, reportHash: investigations.reportHash })
    .from(investigations)
    .where(and(eq(investigations.issueId, issueId), isNotNull(investigations.commentId)))
    .orderBy(desc(investigations.id))
    .limit(1);
  return row?.commentId ? { commentId: row.commentId, reportHash: row.reportHash } : undefined;
}

/** The newest finished run of an issue: what the alert's summary line shows. */
export async function latestFinished(db: Database, issueId: string): Promise<{ id: number; summary: string | null; status: string } | undefined> {
  const [row] = await db
    .select({ id: investigations.id, summary: investigations.summary, status: investigations.status })
    .from(investigations)
    .where(and(eq(investigations.issueId, issueId), isNotNull(investigations.finishedAt)))
    .orderBy(desc(investigations.id))
    .limit(1);
  return row;
}

/** Stores a Helpful / Not helpful vote on a run; a later vote replaces an earlier one. False when there is no such run. */
export async function recordVote(db: Database, id: number, vote: Vote, votedBy: string): Promise<boolean> {
  const updated = await db.update(investigations).set({ vote, votedBy, votedAt: new Date() }).where(eq(investigations.id, id)).returning({ id: investigations.id });
  return updated.length > 0;
}

/** The summary line the alert message shows (alerts.investigation, written by the alert domain lib). */
export async function setAlertSummary(db: Database, issueId: string, summary: { investigationId: number; summary: string; url: string | null }): Promise<boolean> {
  return attachInvestigationSummary(db, issueId, summary);
}
