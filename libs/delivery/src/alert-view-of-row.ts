import type { alerts } from '@triage/db';
import type { AlertRouteFacts, AlertStatusView, AlertView } from '@triage/telegram';
import { alertSnapshotSchema, type AlertSnapshot } from '@triage/alerts';

export type AlertRow = typeof alerts.$inferSelect;

function defined(value: string | null): string | undefined {
  return value === null ? undefined : value;
}

/** The state the message shows: what people did in Triage (alerts.state) first, then what GlitchTip says. */
export function statusOf(row: AlertRow, snapshot: AlertSnapshot, now = Date.now()): AlertStatusView {
  const by = defined(row.statusBy);
  const at = row.statusAt?.toISOString();
  switch (row.state) {
    case 'resolved':
    case 'ignored':
      return { state: row.state, by, at };
    case 'muted':
      if (row.mutedUntil && row.mutedUntil.getTime() > now) return { state: 'muted', by, at, until: row.mutedUntil.toISOString() };
      return { state: 'unresolved' };
  }
  if (snapshot.regression) return { state: 'regressed', at: snapshot.lastSeen ?? undefined };
  if (snapshot.status !== 'unresolved') return { state: snapshot.status };
  // by/at on an open alert mean someone reopened it; the renderer shows "Reopened by …".
  return by || at ? { state: 'unresolved', by, at } : { state: 'unresolved' };
}

/**
 * The view to render, or undefined while the row holds no alert yet: a mute or action on an issue that never alerted
 * creates the row with an empty snapshot, and process-alert fills it when the alert arrives.
 */
export function alertViewFromSnapshot(row: AlertRow, now = Date.now()): { view: AlertView; snapshot: AlertSnapshot } | undefined {
  const parsed = alertSnapshotSchema.safeParse(row.snapshot);
  if (!parsed.success) return undefined;
  const snapshot = parsed.data;
  const view: AlertView = {
    kind: snapshot.kind,
    issueId: snapshot.issueId,
    shortId: defined(snapshot.shortId),
    title: snapshot.title,
    culprit: defined(snapshot.culprit),
    level: snapshot.level,
    project: defined(snapshot.project),
    component: defined(snapshot.component),
    environment: defined(snapshot.environment),
    release: defined(snapshot.release),
    count: snapshot.count ?? undefined,
    firstSeen: defined(snapshot.firstSeen),
    lastSeen: defined(snapshot.lastSeen),
    stackTrace: defined(snapshot.stackTrace),
    tags: snapshot.tags,
    issueUrl: snapshot.issueUrl,
    // Set by link-runbook (libs/runbooks): the Runbook URL button under the alert.
    runbook: row.runbook ? { title: row.runbook.title, url: row.runbook.url } : undefined,
    // Set by the investigate job (libs/investigation): the top suspect, file and similar issue, and a Details link.
    investigation: row.investigation ? { summary: row.investigation.summary, url: row.investigation.url ?? undefined } : undefined,
    status: statusOf(row, snapshot, now),
    // Set by libs/outcomes: who acknowledged the current episode, and the A/B control group's notice.
    outcome: row.outcome
      ? { acknowledgedBy: defined(row.outcome.acknowledgedBy), acknowledgedAt: defined(row.outcome.acknowledgedAt), controlGroup: row.outcome.group === 'control' }
      : undefined,
    uptime: snapshot.uptime
      ? {
          down: snapshot.uptime.down,
          monitorName: snapshot.uptime.monitorName,
          ...(snapshot.uptime.down || snapshot.uptime.downForMs === null ? {} : { downForMs: snapshot.uptime.downForMs }),
        }
      : undefined,
    // Webhook-only mode: the issues the GlitchTip body left out ("+N more").
    moreIssues: snapshot.moreIssues,
  };
  return { view, snapshot };
}

export function routeFactsOf(snapshot: AlertSnapshot): AlertRouteFacts {
  return { project: snapshot.project, environment: snapshot.environment, component: snapshot.component, level: snapshot.level };
}
