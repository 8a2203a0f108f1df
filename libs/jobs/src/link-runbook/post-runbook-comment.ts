import { recordAudit } from '@triage/db';
import { GlitchTipHttpError, type GlitchTipClient } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { claimLink, isRunbookComment, markPosted, releaseClaim, runbookCommentText, type RunbookMatch } from '@triage/runbooks';
import type { WorkerDeps } from '../worker-deps';

export type CommentOutcome = 'posted' | 'found' | 'already-posted' | 'busy' | 'dry-run';

const actor = 'triage:link-runbook';

/** GlitchTip refused it for good (4xx other than 429): nothing was stored, and asking again will not help. */
function refused(error: unknown): error is GlitchTipHttpError {
  return error instanceof GlitchTipHttpError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

/**
 * One comment per issue and runbook, ever: claimed in runbook_links first; a resumed claim looks for a comment that
 * landed before posting (a lost answer, a worker that died); a posted link is never posted again, so a comment a
 * person deleted stays deleted.
 */
export async function postRunbookComment(
  deps: WorkerDeps,
  glitchtip: GlitchTipClient,
  input: { issueId: string; match: RunbookMatch; url: string; claimedBy: string },
  log: Logger,
): Promise<CommentOutcome> {
  const { issueId, match, url } = input;
  const runbook = match.runbook.name;
  const idempotencyKey = `runbook-comment:${issueId}:${runbook}`;
  const claim = await claimLink(deps.db, { issueId, runbook, score: match.specificity, why: match.why, claimedBy: input.claimedBy });
  if (claim.kind === 'already-posted') return 'already-posted';
  if (claim.kind === 'busy') {
    log.info({ runbook }, 'another job is posting this runbook link; leaving it to that one');
    return 'busy';
  }
  // Before posting, even on a fresh claim: a comment that landed while runbook_links was lost (or restored) counts.
  const landed = (await glitchtip.listComments(issueId, { maxPages: 3 })).find((comment) => isRunbookComment(comment.data.text, runbook));
  if (landed) {
    await markPosted(deps.db, { issueId, runbook, commentId: String(landed.id) });
    log.info({ runbook, commentId: landed.id }, 'runbook comment found already posted; recorded it');
    return 'found';
  }
  let result: Awaited<ReturnType<GlitchTipClient['addComment']>>;
  try {
    result = await glitchtip.addComment(issueId, runbookCommentText(match, url));
  } catch (error) {
    if (refused(error)) {
      await releaseClaim(deps.db, { issueId, runbook });
      await recordAudit(deps.db, { actor, action: 'runbook.comment', target: 'glitchtip', issueId, result: 'error', error: error.message, details: { runbook } });
    }
    // Otherwise the comment may or may not have landed: the claim stays, and the retry looks for it before posting.
    throw error;
  }
  if (result.dryRun) {
    await releaseClaim(deps.db, { issueId, runbook });
    await recordAudit(deps.db, { actor, action: 'runbook.comment', target: 'glitchtip', issueId, result: 'dry-run', details: { runbook, url }, idempotencyKey: `${idempotencyKey}:dry-run` });
    return 'dry-run';
  }
  const commentId = String(result.result.id);
  await markPosted(deps.db, { issueId, runbook, commentId });
  await recordAudit(deps.db, { actor, action: 'runbook.comment', target: 'glitchtip', issueId, result: 'ok', details: { runbook, url, commentId, why: match.why }, idempotencyKey });
  log.info({ runbook, commentId }, 'runbook linked in a GlitchTip comment');
  return 'posted';
}
