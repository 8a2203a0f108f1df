import type { GlitchTipClient } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { attachRunbook } from '@triage/alerts';
import { bestAutoLink, matchRunbooks, runbookLinkUrl, type IssueFacts, type PreparedRunbook } from '@triage/runbooks';
import { sendAlert, statusEditOptions } from '@triage/contracts';
import type { WorkerDeps } from '../worker-deps';
import { postRunbookComment, type CommentOutcome } from './post-runbook-comment';

export type LinkOutcome =
  | { issueId: string; linked: false; candidates: string[] }
  | { issueId: string; linked: true; runbook: string; comment: CommentOutcome; alertEdited: boolean };

/**
 * Links the best runbook to one issue: a GlitchTip comment (once per runbook) and the Runbook button on its alert,
 * re-rendered in place by send-alert when the alert was already sent.
 */
export async function linkIssue(
  deps: WorkerDeps,
  glitchtip: GlitchTipClient,
  input: { issueId: string; facts: IssueFacts; runbooks: readonly PreparedRunbook[]; claimedBy: string },
  log: Logger,
): Promise<LinkOutcome> {
  const { issueId } = input;
  const outcome = matchRunbooks(input.runbooks, input.facts);
  const match = bestAutoLink(outcome);
  if (!match) {
    log.debug({ candidates: outcome.candidates.map((candidate) => candidate.runbook.name) }, 'no runbook matches');
    return { issueId, linked: false, candidates: outcome.candidates.map((candidate) => candidate.runbook.name) };
  }
  const name = match.runbook.name;
  const url = runbookLinkUrl(deps.config.publicUrl, name, issueId);
  const comment = await postRunbookComment(deps, glitchtip, { issueId, match, url, claimedBy: input.claimedBy }, log);
  const alertEdited = await attachRunbook(deps.db, issueId, { name, title: match.runbook.title, url });
  if (alertEdited && deps.handledQueues.has(sendAlert.name)) {
    // No delay needed: a first send renders from the alert as it is when it claims its message (send-alert).
    await deps.producer.enqueue(sendAlert, { issueId, reason: 'status', edit: true }, statusEditOptions(issueId));
  }
  return { issueId, linked: true, runbook: name, comment, alertEdited };
}
