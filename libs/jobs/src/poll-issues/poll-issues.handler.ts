import { inArray, sql } from 'drizzle-orm';
import { issueStates } from '@triage/db';
import type { GlitchTipIssue } from '@triage/glitchtip';
import { appKey } from '@triage/queue';
import { defineHandler } from '@triage/worker-runtime';
import { processAlert } from '../process-alert/process-alert.contract';
import type { WorkerDeps } from '../worker-deps';
import { decidePollActions, type KnownIssueState } from './poll-decisions';
import { pollIssues } from './poll-issues.contract';

/** GlitchTip evaluates alert rules every 60 s; give its webhook that long and a margin before calling it lost. */
const WEBHOOK_GRACE_MS = 3 * 60_000;
const MAX_ALERTS_PER_POLL = 25;
const MAX_PAGES = 5;

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
    if (!baselineDone) {
      await deps.redis.set(pollerBaselineKey(deps.config.queuePrefix), new Date().toISOString());
      log.info({ recorded: toRecord.length }, 'poller baseline recorded; history is not alerted');
    }
    const waiting = decisions.filter((decision) => decision.action === 'wait').length;
    log.info({ listed: listed.length, pages, alerted, waiting }, 'poll done');
    return { listed: listed.length, alerted, waiting };
  },
});
