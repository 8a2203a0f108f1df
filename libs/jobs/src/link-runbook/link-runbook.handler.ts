import { CircuitOpenError, GlitchTipHttpError, IntegrationDisabledError, type GlitchTipClient, type GlitchTipEvent } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { experimentGroupOf } from '@triage/outcomes';
import { matchFingerprint, sharedRunbookStore, type PreparedRunbook } from '@triage/runbooks';
import { defineHandler } from '@triage/worker-runtime';
import { linkRunbook } from '@triage/contracts';
import type { WorkerDeps } from '../worker-deps';
import { factsOfIssue } from './issue-facts';
import { linkIssue, type LinkOutcome } from './link-issue';

/** The sweep looks at this many unresolved issues, most recently seen first. */
const sweepMaxPages = 5;

async function latestEvent(glitchtip: GlitchTipClient, issueId: string, log: Logger): Promise<GlitchTipEvent | null> {
  try {
    return await glitchtip.getLatestEvent(issueId);
  } catch (error) {
    log.warn({ err: error }, 'latest event unavailable; matching on the issue alone');
    return null;
  }
}

async function linkOne(deps: WorkerDeps, glitchtip: GlitchTipClient, issueId: string, runbooks: PreparedRunbook[], claimedBy: string, log: Logger) {
  if (await inControlGroup(deps, issueId)) return { skipped: 'EXPERIMENT_HOLDOUT_PERCENT control group' };
  let issue;
  try {
    issue = await glitchtip.getIssue(issueId);
  } catch (error) {
    if (error instanceof GlitchTipHttpError && error.status === 404) return { skipped: 'issue deleted' };
    throw error;
  }
  const facts = factsOfIssue(issue, await latestEvent(glitchtip, issueId, log), deps.config.componentTag);
  const outcome = await linkIssue(deps, glitchtip, { issueId, facts, runbooks, claimedBy }, log);
  if (!outcome.linked || outcome.comment !== 'busy') {
    await deps.redis.set(checkedKey(deps.config.queuePrefix, issueId), `${matchFingerprint(runbooks)}:${issue.lastSeen}`, 'EX', checkedTtlSeconds);
  }
  return outcome;
}

const checkedTtlSeconds = 7 * 24 * 3600;

/**
 * The A/B holdout: issues in the control group get no automatic runbook link (/runbook still answers). The group an
 * issue's first episode recorded wins over the hash, so an issue alerted before the holdout was switched on stays in
 * the treatment group it is measured in.
 */
async function inControlGroup(deps: WorkerDeps, issueId: string): Promise<boolean> {
  return (await experimentGroupOf(deps.db, issueId, deps.config.experiment.holdoutPercent)) === 'control';
}

/** Redis key saying an issue was matched against this runbook set at this last-seen time. */
function checkedKey(prefix: string, issueId: string): string {
  return `${prefix}:runbook-checked:${issueId}`;
}

/**
 * Unresolved issues, most recently seen first, that have not been matched against the current runbook set since they
 * last changed: issues that alerted before a runbook existed or was edited, and links a crashed job left half done.
 * An issue checked before, with the same runbooks and no new events since, costs no API call.
 */
async function sweep(deps: WorkerDeps, glitchtip: GlitchTipClient, runbooks: PreparedRunbook[], claimedBy: string, log: Logger) {
  const fingerprint = matchFingerprint(runbooks);
  const outcomes: LinkOutcome[] = [];
  const failed: string[] = [];
  let seen = 0;
  for await (const page of glitchtip.iterateIssuePages({ query: 'is:unresolved', sort: '-last_seen', limit: 100 }, { maxPages: sweepMaxPages })) {
    seen += page.items.length;
    const marks = await deps.redis.mget(...page.items.map((issue) => checkedKey(deps.config.queuePrefix, issue.id)));
    for (const [index, issue] of page.items.entries()) {
      const mark = `${fingerprint}:${issue.lastSeen}`;
      if (marks[index] === mark || (await inControlGroup(deps, issue.id))) continue;
      try {
        const facts = factsOfIssue(issue, await latestEvent(glitchtip, issue.id, log), deps.config.componentTag);
        const outcome = await linkIssue(deps, glitchtip, { issueId: issue.id, facts, runbooks, claimedBy }, log);
        outcomes.push(outcome);
        if (!outcome.linked || outcome.comment !== 'busy') await deps.redis.set(checkedKey(deps.config.queuePrefix, issue.id), mark, 'EX', checkedTtlSeconds);
      } catch (error) {
        // GlitchTip itself unavailable: stop and let the job retry. One issue's trouble: the others still get linked.
        if (error instanceof CircuitOpenError || error instanceof IntegrationDisabledError) throw error;
        log.warn({ err: error, issueId: issue.id }, 'runbook link failed for one issue; the sweep goes on');
        failed.push(issue.id);
      }
    }
  }
  const linked = outcomes.filter((outcome) => outcome.linked && (outcome.comment === 'posted' || outcome.comment === 'found' || outcome.alertEdited));
  log.info({ seen, checked: outcomes.length, linked: linked.length, failed: failed.length }, 'runbook sweep done');
  if (failed.length > 0 && outcomes.length === 0) throw new Error(`runbook sweep: all ${failed.length} issues failed (first: ${failed[0]}); see the log`);
  return { sweep: true, seen, checked: outcomes.length, linked: linked.map((outcome) => outcome.issueId), failed };
}

export const linkRunbookHandler = defineHandler<WorkerDeps, typeof linkRunbook>({
  contract: linkRunbook,
  // Hourly at a fixed minute, not `every`: an `every` scheduler fires at each worker start, racing the first alerts.
  schedules: (deps) =>
    deps.glitchtip && deps.config.components.runbookLinker ? [{ id: 'link-runbook-sweep-hourly-v2', repeat: { pattern: '17 * * * *', tz: 'UTC' }, data: { sweep: true } }] : [],
  async handle(payload, { deps, job, log }) {
    if (!deps.config.components.runbookLinker) return { skipped: 'DISABLE_RUNBOOK_LINKER' };
    if (!deps.glitchtip) return { skipped: 'no GlitchTip API configured' };
    if (!deps.config.glitchtip.integrationEnabled) return { skipped: 'GLITCHTIP_INTEGRATION_ENABLED=false' };
    const store = sharedRunbookStore(deps.config.runbooksDir, (problems) => {
      for (const problem of problems) log.warn({ file: problem.file, line: problem.line }, `runbook problem: ${problem.message}`);
    });
    const runbooks = await store.runbooks();
    if (runbooks.length === 0) return { skipped: `no runbooks in ${deps.config.runbooksDir}` };
    const claimedBy = `job:${job.id ?? 'unknown'}`;
    if ('sweep' in payload) return sweep(deps, deps.glitchtip, runbooks, claimedBy, log);
    return linkOne(deps, deps.glitchtip, payload.issueId, runbooks, claimedBy, log);
  },
});
