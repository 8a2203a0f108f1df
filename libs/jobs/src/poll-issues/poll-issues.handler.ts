import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { issueStates } from '@triage/db';
import type { GlitchTipClient, GlitchTipIssue } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { appKey } from '@triage/queue';
import { defineHandler } from '@triage/worker-runtime';
import { processAlert } from '@triage/contracts';
import { enqueueStatusEdit } from '@triage/delivery';
import { markIssuesChecked, recordClosedInGlitchTip, recordPolledIssues } from '@triage/alerts';
import { recordOutcomeEvent } from '@triage/outcomes';
import type { WorkerDeps } from '../worker-deps';
import { decidePollActions, type KnownIssueState, type PollDecision } from './poll-decisions';
import { pollIssues, type PollIssuesPayload, type ProjectPoll } from '@triage/contracts';
import { readAlertRules, readFirstJudgedFiredAt, readHourlyEvents, rememberJudgedFired } from './rule-inputs';

/**
 * GlitchTip's alert task runs every ALERT_NOTIFICATION_INTERVAL (60 s) and posts with a 10 s timeout; a webhook
 * that has not arrived 90 s after its rule fired is lost. With the minute poll, a lost webhook is alerted at most
 * about 2.5 minutes after the rule fired (README).
 */
export const WEBHOOK_GRACE_MS = 90_000;
const MAX_ALERTS_PER_POLL = 25;
const MAX_PAGES = 5;
/** Known-unresolved issues whose status is re-read per poll (least recently checked first); one page of ids. */
const STATUS_REFRESH_BATCH = 100;

export function pollerBaselineKey(prefix: string): string {
  return appKey(prefix, 'poller', 'baseline-done');
}

export const pollIssuesHandler = defineHandler<WorkerDeps, typeof pollIssues>({
  contract: pollIssues,
  concurrency: 1,
  schedules: (deps) => (deps.glitchtip ? [{ id: 'poll-issues-every-minute-v1', repeat: { every: 60_000 }, data: { lookbackMinutes: 15 } }] : []),
  async handle(payload, { deps, log }) {
    if (!deps.glitchtip) {
      log.info('no GlitchTip API configured; nothing to poll');
      return { skipped: 'webhook-only mode' };
    }
    if (payload.project) return pollProject(deps, deps.glitchtip, payload, payload.project, log);
    const since = Date.now() - payload.lookbackMinutes * 60_000;
    const { listed, pages } = await listRecent(deps.glitchtip, since, undefined);
    const baselineDone = (await deps.redis.exists(pollerBaselineKey(deps.config.queuePrefix))) === 1;
    const decisions = await decide(deps, deps.glitchtip, listed, { baselineDone, since, graceMs: WEBHOOK_GRACE_MS }, log);

    const { alerted, recorded } = await act(deps, decisions);
    const closedOutside = await refreshQuietIssues(deps, deps.glitchtip, listed.map((issue) => issue.id), log);
    if (!baselineDone) {
      await deps.redis.set(pollerBaselineKey(deps.config.queuePrefix), new Date().toISOString());
      log.info({ recorded }, 'poller baseline recorded; history is not alerted');
    }
    const waiting = decisions.filter((decision) => decision.action === 'wait').length;
    const quiet = decisions.filter((decision) => decision.action === 'quiet').length;
    log.info({ listed: listed.length, pages, alerted, waiting, quiet, closedOutside }, 'poll done');
    return { listed: listed.length, alerted, waiting, quiet, closedOutside };
  },
});

/**
 * A webhook body said "(N issues)" but listed fewer (GlitchTip shows at most 3): poll that project now rather than at
 * the next minute. GlitchTip's alert task has just run, so no grace applies; the issues the body listed are left to
 * their own process-alert jobs.
 */
async function pollProject(deps: WorkerDeps, glitchtip: GlitchTipClient, payload: PollIssuesPayload, project: ProjectPoll, log: Logger) {
  const baselineDone = (await deps.redis.exists(pollerBaselineKey(deps.config.queuePrefix))) === 1;
  if (!baselineDone) {
    log.info({ project: project.name }, 'no poller baseline yet; the minute poll records it first');
    return { skipped: 'no baseline yet' };
  }
  const anchor = await glitchtip.getIssue(project.issueId);
  const since = Date.now() - payload.lookbackMinutes * 60_000;
  const { listed, pages } = await listRecent(glitchtip, since, Number(anchor.project.id));
  const bodyListed = new Set(project.listedIssueIds);
  const others = listed.filter((issue) => !bodyListed.has(issue.id));
  const decisions = await decide(deps, glitchtip, others, { baselineDone, since, graceMs: 0 }, log);
  const { alerted } = await act(deps, decisions);
  log.info({ project: project.name, projectSlug: anchor.project.slug, stated: project.statedIssueCount, listed: listed.length, pages, alerted }, 'project poll done');
  return { project: anchor.project.slug, listed: listed.length, alerted };
}

/** Unresolved issues by last activity, newest first, down to the first one older than `since`. */
async function listRecent(glitchtip: GlitchTipClient, since: number, projectId: number | undefined): Promise<{ listed: GlitchTipIssue[]; pages: number }> {
  const listed: GlitchTipIssue[] = [];
  let pages = 0;
  const params = { query: 'is:unresolved', sort: '-last_seen' as const, limit: 100, ...(projectId === undefined ? {} : { project: projectId }) };
  outer: for await (const page of glitchtip.iterateIssuePages(params, { maxPages: MAX_PAGES })) {
    pages += 1;
    for (const issue of page.items) {
      if (Date.parse(issue.lastSeen) < since) break outer;
      listed.push(issue);
    }
  }
  return { listed, pages };
}

type PolledGlitchTipIssue = GlitchTipIssue & { projectSlug: string };

async function decide(
  deps: WorkerDeps,
  glitchtip: GlitchTipClient,
  listed: GlitchTipIssue[],
  options: { baselineDone: boolean; since: number; graceMs: number },
  log: Logger,
): Promise<Array<PollDecision<PolledGlitchTipIssue>>> {
  const issues = listed.map((issue) => ({ ...issue, projectSlug: issue.project.slug }));
  const knownRows = issues.length === 0 ? [] : await deps.db.select().from(issueStates).where(inArray(issueStates.issueId, issues.map((issue) => issue.id)));
  const known = new Map<string, KnownIssueState>(knownRows.map((row) => [row.issueId, { status: row.status, eventCount: Number(row.eventCount) }]));
  // Only issues Triage never heard of are judged by the alert rules.
  const unknown = options.baselineDone ? issues.filter((issue) => !known.has(issue.id) && issue.status === 'unresolved') : [];
  const alertRules = await readAlertRules(glitchtip, unknown, log);
  const withRules = unknown.filter((issue) => (alertRules.get(issue.projectSlug)?.length ?? 0) > 0);
  const hourly = await readHourlyEvents(glitchtip, withRules, log);
  const firstJudgedFiredAt = await readFirstJudgedFiredAt(deps.redis, deps.config.queuePrefix, withRules);
  const now = Date.now();
  const decisions = decidePollActions(issues, known, {
    ...options,
    now,
    maxAlerts: MAX_ALERTS_PER_POLL,
    alertRules,
    hourly,
    firstJudgedFiredAt,
  });
  await rememberJudgedFired(deps.redis, deps.config.queuePrefix, decisions, now);
  return decisions;
}

/** Enqueues the alerts, then records what was seen (after enqueueing, so a crash in between re-detects rather than forgets). */
async function act(deps: WorkerDeps, decisions: Array<PollDecision<PolledGlitchTipIssue>>): Promise<{ alerted: string[]; recorded: number }> {
    const receivedAt = new Date().toISOString();
    const alerted: string[] = [];
    for (const { issue, action } of decisions) {
      if (action !== 'alert-lost' && action !== 'alert-regression') continue;
      await deps.producer.enqueue(processAlert, {
        kind: 'issue',
        source: 'poller',
        receivedAt,
        regression: action === 'alert-regression',
        // Part of the job id: an issue seen again with more events is news, not a repeat.
        eventCount: issue.count,
        issueId: issue.id,
        title: issue.title,
        culprit: issue.culprit || null,
        url: issue.permalink ?? `${deps.config.glitchtip.baseUrl}/${issue.project.slug}/issues/${issue.id}`,
        orgSlug: null,
        levelHint: issue.level === 'error' || issue.level === 'fatal' ? 'error' : issue.level === 'info' ? 'info' : null,
        project: issue.project.name,
        environment: null,
        release: null,
        serverName: null,
        shortId: issue.shortId,
        extraTags: {},
      });
      alerted.push(`${issue.id}:${action}`);
    }
    const toRecord = decisions.filter((decision) => decision.action !== 'wait' && decision.action !== 'quiet');
    await recordPolledIssues(deps.db, toRecord.map(({ issue }) => issue));
    return { alerted, recorded: toRecord.length };
}

/**
 * The listing above sees only unresolved issues with recent events, so an issue resolved or ignored in GlitchTip's own
 * UI would stay "unresolved" here forever, and its regression would look like more of the same. Re-read the status of
 * the issues we believe unresolved but did not just list, a page at a time, least recently checked first; record
 * what changed and edit their alert messages.
 */
async function refreshQuietIssues(deps: WorkerDeps, glitchtip: GlitchTipClient, listedIds: string[], log: Logger): Promise<string[]> {
  const quiet = await deps.db
    .select({ issueId: issueStates.issueId })
    .from(issueStates)
    .where(
      and(
        eq(issueStates.status, 'unresolved'),
        sql`${issueStates.issueId} ~ '^[0-9]+$'`,
        listedIds.length > 0 ? notInArray(issueStates.issueId, listedIds) : undefined,
      ),
    )
    .orderBy(asc(issueStates.updatedAt))
    .limit(STATUS_REFRESH_BATCH);
  if (quiet.length === 0) return [];
  const ids = quiet.map((row) => row.issueId);
  const { items } = await glitchtip.listIssues({ ids, limit: STATUS_REFRESH_BATCH });
  const closed = items.filter((issue) => issue.status !== 'unresolved');
  for (const issue of closed) await recordClosedInGlitchTip(deps.db, issue);
  // Outcome metrics: an episode closed in GlitchTip itself ends when the poller sees it (its resolve time, to a poll).
  const seenAt = new Date();
  for (const issue of closed) await recordOutcomeEvent(deps.db, { type: 'closed-outside', issueId: issue.id, at: seenAt, status: issue.status === 'ignored' ? 'ignored' : 'resolved' });
  // Everything checked moves to the back of the rotation, closed or not (deleted issues too).
  await markIssuesChecked(deps.db, ids);
  for (const issue of closed) await enqueueStatusEdit(deps, issue.id, log);
  if (closed.length > 0) log.info({ issues: closed.map((issue) => `${issue.id}:${issue.status}`) }, 'issues closed in GlitchTip recorded');
  return closed.map((issue) => issue.id);
}
