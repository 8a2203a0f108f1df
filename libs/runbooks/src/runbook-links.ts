import { and, eq, sql } from 'drizzle-orm';
import { runbookLinks, type Database } from '@triage/db';

/** A link's life: claimed before the comment is posted (the POST may or may not have landed), then posted for good. */
export type RunbookLinkState = 'posting' | 'posted';

export type RunbookLinkRow = typeof runbookLinks.$inferSelect;

/** A claim older than this belongs to a worker that died mid-post; another job may resume it. */
export const staleClaimMs = 120_000;

export type ClaimOutcome =
  /** Ours to post: fresh, our own earlier attempt, or a stale claim taken over (check for a landed comment first). */
  | { kind: 'claimed'; resumed: boolean }
  | { kind: 'already-posted'; commentId: string | null }
  /** Another job is posting this very link right now. */
  | { kind: 'busy' };

/**
 * The one module that writes runbook_links (the link-runbook job puts the runbook on the alert through libs/alerts,
 * which alone writes `alerts`: this lib is type:shared and may not import it). Posting a comment goes
 * claim -> (post or find the landed comment) -> markPosted; a posted link is never posted again, so a comment a person
 * deleted in GlitchTip stays deleted.
 */
export async function claimLink(
  db: Database,
  link: { issueId: string; runbook: string; score: number; why: string[]; claimedBy: string },
): Promise<ClaimOutcome> {
  const staleBefore = sql`now() - make_interval(secs => ${staleClaimMs / 1000})`;
  const [claimed] = await db
    .insert(runbookLinks)
    .values({ issueId: link.issueId, runbookPath: link.runbook, score: link.score, why: link.why, state: 'posting', claimedAt: sql`now()`, claimedBy: link.claimedBy })
    .onConflictDoUpdate({
      target: [runbookLinks.issueId, runbookLinks.runbookPath],
      set: { claimedAt: sql`now()`, claimedBy: link.claimedBy, score: link.score, why: link.why },
      setWhere: sql`${runbookLinks.state} = 'posting' and (${runbookLinks.claimedBy} = ${link.claimedBy} or ${runbookLinks.claimedAt} < ${staleBefore})`,
    })
    .returning({ createdAt: runbookLinks.createdAt, claimedAt: runbookLinks.claimedAt });
  if (claimed) return { kind: 'claimed', resumed: claimed.createdAt.getTime() !== claimed.claimedAt?.getTime() };
  const [existing] = await db.select().from(runbookLinks).where(and(eq(runbookLinks.issueId, link.issueId), eq(runbookLinks.runbookPath, link.runbook)));
  if (existing?.state === 'posted') return { kind: 'already-posted', commentId: existing.commentId };
  return { kind: 'busy' };
}

export async function markPosted(db: Database, link: { issueId: string; runbook: string; commentId: string | null }): Promise<void> {
  await db
    .update(runbookLinks)
    .set({ state: 'posted', commentId: link.commentId, postedAt: sql`now()`, claimedBy: null })
    .where(and(eq(runbookLinks.issueId, link.issueId), eq(runbookLinks.runbookPath, link.runbook)));
}

/** Gives a claim back when nothing was posted for sure (dry run, GlitchTip refused the comment). */
export async function releaseClaim(db: Database, link: { issueId: string; runbook: string }): Promise<void> {
  await db
    .delete(runbookLinks)
    .where(and(eq(runbookLinks.issueId, link.issueId), eq(runbookLinks.runbookPath, link.runbook), eq(runbookLinks.state, 'posting')));
}

export async function linksOfIssue(db: Database, issueId: string): Promise<RunbookLinkRow[]> {
  return db.select().from(runbookLinks).where(eq(runbookLinks.issueId, issueId));
}
