import { and, asc, between, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { alertMessages, alerts, issueStates, type Database } from '@triage/db';
import { isAlertState, isAlertTransition, type AlertState } from './alert-state';
import { alertSnapshotSchema, type AlertSnapshot } from './alert-snapshot';
import { decideTransition, type AlertDecision, type PreviousAlert } from './alert-transition';
import { isRegression } from './regression';

export type AlertRow = typeof alerts.$inferSelect;
type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** One signal (webhook, poller or replay) to record against its alert. */
export interface AlertSignalInput {
  snapshot: AlertSnapshot;
  source: 'webhook' | 'poller' | 'replay';
  receivedAt: Date;
  /** The job that carries the signal (id and creation time): its retries find their own record. */
  signalKey: string;
  /** The poller already saw the regression (issue_states said closed, GlitchTip says unresolved with more events). */
  regressionSeen: boolean;
  /** GLITCHTIP_INTEGRATION_ENABLED=false: recorded, never sent, never re-driven. */
  suppressed: boolean;
  dedupWindowMs: number;
}

export interface RecordedSignal {
  decision: AlertDecision;
  /** The snapshot as stored (transition, regression and outage times filled in). */
  snapshot: AlertSnapshot;
  alertCount: number;
  mutedUntil: Date | null;
  state: AlertState;
}

function previousOf(row: AlertRow): PreviousAlert {
  const parsed = alertSnapshotSchema.safeParse(row.snapshot);
  const snapshot = parsed.success ? parsed.data : undefined;
  return {
    state: isAlertState(row.state) ? row.state : 'open',
    mutedUntil: row.mutedUntil,
    hasAlerted: snapshot !== undefined,
    uptimeDown: snapshot?.uptime?.down ?? null,
    downSince: snapshot?.uptime?.downSince ?? null,
    lastAlertedAt: row.lastAlertedAt,
    lastSignalAt: row.lastSignalAt,
    lastSignalKey: row.lastSignalKey,
    lastTransition: isAlertTransition(row.lastTransition) ? row.lastTransition : null,
    suppressed: row.suppressedAt !== null,
  };
}

/**
 * Records a signal: decides its transition from the alert as it stands (row locked, so two signals of one issue are
 * judged one after the other) and writes `alerts` and `issue_states` in one transaction. A duplicate or stale signal
 * writes nothing; a retry of the job that recorded it writes nothing and gets the same decision back.
 */
export async function recordAlertSignal(db: Database, input: AlertSignalInput): Promise<RecordedSignal> {
  const { snapshot } = input;
  return db.transaction(async (tx) => {
    // The row must exist to be locked; a bare one (no snapshot) reads as "never alerted", like a mute made first.
    await tx
      .insert(alerts)
      .values({ issueId: snapshot.issueId, kind: snapshot.kind, source: input.source, title: snapshot.title, state: 'open' })
      .onConflictDoNothing({ target: alerts.issueId });
    const [row] = await tx.select().from(alerts).where(eq(alerts.issueId, snapshot.issueId)).for('update');
    if (!row) throw new Error(`alert row for ${snapshot.issueId} vanished`);
    const [known] = await tx.select().from(issueStates).where(eq(issueStates.issueId, snapshot.issueId));
    const regressed =
      snapshot.kind === 'issue' &&
      (input.regressionSeen || isRegression(known ? { status: known.status, eventCount: known.eventCount } : undefined, snapshot.status, snapshot.count ?? undefined));
    const previous = previousOf(row);
    const signal =
      snapshot.kind === 'uptime'
        ? { kind: 'uptime' as const, down: snapshot.uptime?.down ?? true, receivedAt: input.receivedAt, signalKey: input.signalKey }
        : { kind: 'issue' as const, regressed, receivedAt: input.receivedAt, signalKey: input.signalKey };
    const decision = decideTransition(previous, signal, { dedupWindowMs: input.dedupWindowMs });
    const current = { alertCount: row.alertCount, mutedUntil: row.mutedUntil, state: previous.state };
    if (decision.action !== 'record') {
      const stored = alertSnapshotSchema.safeParse(row.snapshot);
      return { decision, snapshot: stored.success ? stored.data : snapshot, ...current };
    }
    const stored: AlertSnapshot = {
      ...snapshot,
      regression: decision.transition === 'regression',
      transition: decision.transition,
      uptime: snapshot.uptime ? { ...snapshot.uptime, downSince: decision.downSince, downForMs: decision.downForMs } : null,
    };
    const updated = await writeRecordedSignal(tx, row, previous, stored, input, decision);
    await recordIssueState(tx, stored);
    return { decision, snapshot: stored, alertCount: updated.alertCount, mutedUntil: updated.mutedUntil, state: isAlertState(updated.state) ? updated.state : 'open' };
  });
}

async function writeRecordedSignal(
  tx: Transaction,
  row: AlertRow,
  previous: PreviousAlert,
  snapshot: AlertSnapshot,
  input: AlertSignalInput,
  decision: Extract<AlertDecision, { action: 'record' }>,
) {
  const notifying = decision.transition !== 'repeat';
  // A mute is a promise of quiet: a transition recorded under it owes no message, then or when the mute ends (the
  // mute-ended message tells people what happened meanwhile), so nothing is left for the reconciler to re-drive.
  const owed = notifying && !decision.muted
    ? { transitionAt: sql`now()`, notifyingTransition: decision.transition, redrivenAt: null }
    : notifying
      ? { transitionAt: null, notifyingTransition: null, redrivenAt: null }
      : {};
  const [updated] = await tx
    .update(alerts)
    .set({
      kind: snapshot.kind,
      title: snapshot.title,
      level: snapshot.level,
      project: snapshot.project,
      component: snapshot.component,
      environment: snapshot.environment,
      release: snapshot.release,
      eventCount: snapshot.count,
      snapshot: snapshot,
      alertCount: previous.hasAlerted ? sql`${alerts.alertCount} + 1` : 1,
      ...(previous.hasAlerted ? {} : { source: input.source, firstAlertedAt: sql`now()` }),
      lastAlertedAt: sql`now()`,
      updatedAt: sql`now()`,
      lastTransition: decision.transition,
      lastSignalKey: input.signalKey,
      lastSignalAt: input.receivedAt,
      suppressedAt: input.suppressed ? sql`now()` : null,
      ...owed,
      ...(decision.reopen ? { state: 'open', statusBy: null, statusAt: null, mutedUntil: null } : {}),
    })
    .where(eq(alerts.id, row.id))
    .returning({ alertCount: alerts.alertCount, mutedUntil: alerts.mutedUntil, state: alerts.state });
  return updated!;
}

async function recordIssueState(tx: Transaction, snapshot: AlertSnapshot): Promise<void> {
  const lastSeen = snapshot.lastSeen ? new Date(snapshot.lastSeen) : null;
  await tx
    .insert(issueStates)
    .values({ issueId: snapshot.issueId, status: snapshot.status, eventCount: snapshot.count ?? 0, lastSeen, lastAlertedAt: new Date() })
    .onConflictDoUpdate({
      target: issueStates.issueId,
      set: {
        status: snapshot.status,
        eventCount: sql`greatest(${issueStates.eventCount}, ${snapshot.count ?? 0})`,
        lastSeen,
        lastAlertedAt: new Date(),
        updatedAt: sql`now()`,
      },
    });
}

/**
 * Alerts that owe people a message, for the delivery reconciler: a notifying transition between `from` and `to`,
 * still open, not muted, not recorded while switched off. One page of `limit` rows with ids above `afterId`: whether a
 * row was delivered depends on its routes (application code), so the reconciler pages through all of them instead of
 * re-reading the same first page every run. Paged by id (exact), not by transition time (Postgres keeps microseconds,
 * a JS Date only milliseconds).
 */
export async function alertsAwaitingDelivery(
  db: Database,
  window: { from: Date; to: Date; now: Date; limit: number; afterId?: number },
): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(
      and(
        between(alerts.transitionAt, window.from, window.to),
        isNull(alerts.suppressedAt),
        eq(alerts.state, 'open'),
        or(isNull(alerts.mutedUntil), lt(alerts.mutedUntil, window.now)),
        window.afterId === undefined ? undefined : gt(alerts.id, window.afterId),
      ),
    )
    .orderBy(asc(alerts.id))
    .limit(window.limit);
}

export type DeliveredMessageRow = Pick<typeof alertMessages.$inferSelect, 'issueId' | 'chatId' | 'routeThreadId' | 'generation' | 'status' | 'createdAt'>;

/** Read only: the message rows of these issues (alert_messages is written by its own module in alert-messages/). */
export async function messageRowsOf(db: Database, issueIds: string[]): Promise<DeliveredMessageRow[]> {
  if (issueIds.length === 0) return [];
  return db
    .select({
      issueId: alertMessages.issueId,
      chatId: alertMessages.chatId,
      routeThreadId: alertMessages.routeThreadId,
      generation: alertMessages.generation,
      status: alertMessages.status,
      createdAt: alertMessages.createdAt,
    })
    .from(alertMessages)
    .where(inArray(alertMessages.issueId, issueIds));
}

/** The reconciler re-drove these alerts' sends now (once per notifying transition). */
export async function markRedriven(db: Database, issueIds: string[], at: Date): Promise<void> {
  if (issueIds.length === 0) return;
  await db.update(alerts).set({ redrivenAt: at }).where(and(inArray(alerts.issueId, issueIds), isNull(alerts.redrivenAt)));
}
