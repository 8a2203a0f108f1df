import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { alerts, issueStates, type Database } from '@triage/db';
import type { GlitchTipClient, GlitchTipIssue } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { appKey } from '@triage/queue';
import { defineHandler } from '@triage/worker-runtime';
import { processAlert } from '@triage/contracts';
import { enqueueStatusEdit } from '../send-alert/status-edit';
import type { WorkerDeps } from '../worker-deps';
import { decidePollActions, type KnownIssueState } from './poll-decisions';
import { pollIssues } from '@triage/contracts';

/** GlitchTip evaluates alert rules every 60 s; give its webhook that long and a margin before calling it lost. */
const WEBHOOK_GRACE_MS = 3 * 60_000;
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
    const since = Date.now() - payload.lookbackMinutes * 60_000;
    const listed: GlitchTipIssue[] = [];
    let pages = 0;
    // Newest activity first; stop at the first issue older than the look-back window.
    outer: for await (const page of deps.glitchtip.iterateIssuePages({ query: 'is:unresolved', sort: '-last_seen', limit: 100 }, { maxPages: MAX_PAGES })) {
      pages += 1;
      for (const issue of page.items) {
        if (Date.parse(issue.lastSeen) < since) break outer;
        listed.push(issue);
      }
    }
    const knownRows =
      listed.length === 0
        ? []
        : await deps.db.select().from(issueStates).where(inArray(issueStates.issueId, listed.map((issue) => issue.id)));
    const known = new Map<string, KnownIssueState>(knownRows.map((row) => [row.issueId, { status: row.status, eventCount: row.eventCount }]));
    const baselineDone = (await deps.redis.exists(pollerBaselineKey(deps.config.queuePrefix))) === 1;
    const decisions = decidePollActions(listed, known, {
      baselineDone,
      now: Date.now(),
      graceMs: WEBHOOK_GRACE_MS,
      maxAlerts: MAX_ALERTS_PER_POLL,
    });

    const receivedAt = new Date().toISOString();
    const alerted: string[] = [];
    for (const { issue, action } of decisions) {
      if (action !== 'alert-lost' && action !== 'alert-regression') continue;
      await deps.producer.enqueue(processAlert, {
        kind: 'issue',
        source: 'poller',
        receivedAt,
        regression: action === 'alert-regression',
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
    // Record what we saw (after enqueueing, so a crash in between re-detects rather than forgets).
    const toRecord = decisions.filter((decision) => decision.action !== 'wait');
    for (const { issue } of toRecord) {
      await deps.db
        .insert(issueStates)
        .values({ issueId: issue.id, status: issue.status, eventCount: issue.count, lastSeen: new Date(issue.lastSeen) })
        .onConflictDoUpdate({
          target: issueStates.issueId,
          set: { status: issue.status, eventCount: issue.count, lastSeen: new Date(issue.lastSeen), updatedAt: sql`now()` },
        });
    }
    const closedOutside = await refreshQuietIssues(deps, deps.glitchtip, listed.map((issue) => issue.id), log);
    if (!baselineDone) {
      await deps.redis.set(pollerBaselineKey(deps.config.queuePrefix), new Date().toISOString());
      log.info({ recorded: toRecord.length }, 'poller baseline recorded; history is not alerted');
    }
    const waiting = decisions.filter((decision) => decision.action === 'wait').length;
    log.info({ listed: listed.length, pages, alerted, waiting, closedOutside }, 'poll done');
    return { listed: listed.length, alerted, waiting, closedOutside };
  },
});

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
  for (const issue of closed) await recordClosedOutside(deps.db, issue);
  // Everything checked moves to the back of the rotation, closed or not (deleted issues too).
  await deps.db.update(issueStates).set({ updatedAt: sql`now()` }).where(and(inArray(issueStates.issueId, ids), eq(issueStates.status, 'unresolved')));
  for (const issue of closed) await enqueueStatusEdit(deps, issue.id, log);
  if (closed.length > 0) log.info({ issues: closed.map((issue) => `${issue.id}:${issue.status}`) }, 'issues closed in GlitchTip recorded');
  return closed.map((issue) => issue.id);
}

async function recordClosedOutside(db: Database, issue: GlitchTipIssue): Promise<void> {
  await db
    .update(issueStates)
    .set({ status: issue.status, eventCount: issue.count, lastSeen: new Date(issue.lastSeen), updatedAt: sql`now()` })
    .where(eq(issueStates.issueId, issue.id));
  await db
    .update(alerts)
    .set({ state: issue.status, statusBy: 'GlitchTip', statusAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(alerts.issueId, issue.id), eq(alerts.state, 'open')));
}
