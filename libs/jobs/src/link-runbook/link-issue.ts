import type { GlitchTipClient } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { bestAutoLink, matchRunbooks, runbookLinkUrl, setAlertRunbook, type IssueFacts, type PreparedRunbook } from '@triage/runbooks';
import { sendAlert, statusEditOptions } from '@triage/contracts';
import type { WorkerDeps } from '../worker-deps';
import { postRunbookComment, type CommentOutcome } from './post-runbook-comment';

const editDelayMs = 2_000;

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
  const alertEdited = await setAlertRunbook(deps.db, issueId, { name, title: match.runbook.title, url });
  if (alertEdited && deps.handledQueues.has(sendAlert.name)) {
    // A little later: a first send that read the alert before the runbook was set, but has not claimed its message
    // yet, would otherwise make this edit find nothing to edit, and the button would be missing until the next edit.
    await deps.producer.enqueue(sendAlert, { issueId, reason: 'status', edit: true }, { ...statusEditOptions(issueId), delay: editDelayMs });
  }
  return { issueId, linked: true, runbook: name, comment, alertEdited };
}
