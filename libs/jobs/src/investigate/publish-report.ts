import { randomUUID } from 'node:crypto';
import { recordAudit } from '@triage/db';
import { GlitchTipHttpError, type GlitchTipClient } from '@triage/glitchtip';
import { lastComment, parseReportMarker, publishClaimKey, withClaim } from '@triage/investigation';
import type { Logger } from '@triage/logger';
import type { WorkerDeps } from '../worker-deps';

export type PublishOutcome =
  | { result: 'posted' | 'edited' | 'unchanged'; commentId: string }
  | { result: 'dry-run' | 'skipped'; commentId: null; reason: string };

interface Report {
  issueId: string;
  text: string;
  findingsHash: string;
  requestedBy: string;
}

/** Our comment on the issue, found by its marker: a run that posted and then crashed before recording left it there. */
async function findMarkedComment(glitchtip: GlitchTipClient, issueId: string): Promise<{ commentId: string; findingsHash: string } | undefined> {
  const comments = await glitchtip.listComments(issueId, { maxPages: 5 });
  for (const comment of comments) {
    const marker = parseReportMarker(comment.data.text);
    if (marker?.issueId === issueId) return { commentId: String(comment.id), findingsHash: marker.findingsHash };
  }
  return undefined;
}

/** Long enough for a few comment pages and one write; a dead holder's claim expires before a waiter gives up. */
const publishClaim = { ttlMs: 90_000, waitMs: 100_000 };

/**
 * One comment per issue, ever: edited when the findings change, left alone when they do not. The comment is looked
 * up by its marker before any POST, so a retry after a crash between posting and recording finds it. Every write is
 * audited with a key derived from the issue and the findings.
 */
export async function publishReport(deps: WorkerDeps, report: Report, log: Logger): Promise<PublishOutcome> {
  const { glitchtip, config, db } = deps;
  if (!glitchtip) return { result: 'skipped', commentId: null, reason: 'no GlitchTip API configured' };
  if (!config.glitchtip.integrationEnabled) return { result: 'skipped', commentId: null, reason: 'GLITCHTIP_INTEGRATION_ENABLED=false' };
  const audit = { actor: report.requestedBy, target: 'glitchtip' as const, issueId: report.issueId };
  if (config.dryRun) {
    log.info({ issueId: report.issueId, report: report.text }, 'DRY_RUN: investigation report not posted');
    await recordAudit(db, { ...audit, action: 'investigation.comment', result: 'dry-run', details: { findingsHash: report.findingsHash }, idempotencyKey: `investigation:dry-run:${report.issueId}:${report.findingsHash}` });
    return { result: 'dry-run', commentId: null, reason: 'DRY_RUN' };
  }
  // Runs on different events (an automatic one and a button press) may finish together: one at a time per issue, so
  // the second finds the first one's comment by its marker instead of posting another.
  return withClaim(deps.redis, publishClaimKey(config.queuePrefix, report.issueId), randomUUID(), publishClaim, () => publishClaimed(glitchtip, db, report, log));
}

async function publishClaimed(glitchtip: GlitchTipClient, db: WorkerDeps['db'], report: Report, log: Logger): Promise<PublishOutcome> {
  const audit = { actor: report.requestedBy, target: 'glitchtip' as const, issueId: report.issueId };
  const recorded = await lastComment(db, report.issueId);
  const existing = recorded ? { commentId: recorded.commentId, findingsHash: recorded.reportHash } : await findMarkedComment(glitchtip, report.issueId);
  if (existing && existing.findingsHash === report.findingsHash) return { result: 'unchanged', commentId: existing.commentId };
  if (existing) {
    try {
      await glitchtip.updateComment(report.issueId, existing.commentId, report.text);
      await recordAudit(db, { ...audit, action: 'investigation.comment-edit', result: 'ok', details: { commentId: existing.commentId, findingsHash: report.findingsHash }, idempotencyKey: `investigation:edit:${report.issueId}:${existing.commentId}:${report.findingsHash}` });
      return { result: 'edited', commentId: existing.commentId };
    } catch (error) {
      // Someone deleted it in GlitchTip: post a new one below.
      if (!(error instanceof GlitchTipHttpError && error.status === 404)) throw error;
      log.info({ commentId: existing.commentId }, 'earlier investigation comment is gone; posting a new one');
    }
  }
  if (recorded) {
    // The recorded comment is gone; a marked one may still exist from a crashed run.
    const marked = await findMarkedComment(glitchtip, report.issueId);
    if (marked && marked.commentId !== recorded.commentId) {
      if (marked.findingsHash === report.findingsHash) return { result: 'unchanged', commentId: marked.commentId };
      await glitchtip.updateComment(report.issueId, marked.commentId, report.text);
      await recordAudit(db, { ...audit, action: 'investigation.comment-edit', result: 'ok', details: { commentId: marked.commentId, findingsHash: report.findingsHash, found: 'marker' }, idempotencyKey: `investigation:edit:${report.issueId}:${marked.commentId}:${report.findingsHash}` });
      return { result: 'edited', commentId: marked.commentId };
    }
  }
  const posted = await glitchtip.addComment(report.issueId, report.text);
  const commentId = posted.dryRun ? null : String(posted.result.id);
  await recordAudit(db, { ...audit, action: 'investigation.comment', result: 'ok', details: { commentId, findingsHash: report.findingsHash }, idempotencyKey: `investigation:post:${report.issueId}:${commentId}` });
  return commentId ? { result: 'posted', commentId } : { result: 'dry-run', commentId: null, reason: 'DRY_RUN' };
}
