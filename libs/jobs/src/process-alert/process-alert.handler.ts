import { eq, sql } from 'drizzle-orm';
import { alerts, issueStates } from '@triage/db';
import { GlitchTipHttpError, type GlitchTipEvent, type GlitchTipIssue } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { safeJobId, type JobContract, type PayloadInputOf } from '@triage/queue';
import { defineHandler } from '@triage/worker-runtime';
import { investigate } from '@triage/contracts';
import { linkRunbook } from '@triage/contracts';
import { sendAlert } from '@triage/contracts';
import type { WorkerDeps } from '../worker-deps';
import { isRegression } from '../poll-issues/poll-decisions';
import { alertKeyOf, buildAlertSnapshot, type AlertSnapshot, type EnrichmentData } from './alert-snapshot';
import { processAlert, type ProcessAlertPayload } from '@triage/contracts';

// After this many failed attempts at the API the alert goes out with the webhook's data: late and rich loses to on time.
const ENRICHMENT_ATTEMPTS = 2;

type Enrichment = { outcome: 'enriched'; data: EnrichmentData } | { outcome: 'webhook-only'; reason: string } | { outcome: 'gone' };

async function enrich(payload: ProcessAlertPayload, deps: WorkerDeps, attemptsMade: number, log: Logger): Promise<Enrichment> {
  if (payload.kind !== 'issue') return { outcome: 'webhook-only', reason: 'uptime alert' };
  if (!deps.glitchtip) return { outcome: 'webhook-only', reason: 'no GlitchTip API configured' };
  if (!deps.config.glitchtip.integrationEnabled) return { outcome: 'webhook-only', reason: 'GLITCHTIP_INTEGRATION_ENABLED=false' };
  let issue: GlitchTipIssue;
  try {
    issue = await deps.glitchtip.getIssue(payload.issueId);
  } catch (error) {
    if (error instanceof GlitchTipHttpError && error.status === 404) return { outcome: 'gone' };
    if (attemptsMade + 1 < ENRICHMENT_ATTEMPTS) throw error;
    log.warn({ err: error }, 'GlitchTip API unavailable; alerting with the webhook data alone');
    return { outcome: 'webhook-only', reason: 'GlitchTip API unavailable' };
  }
  let event: GlitchTipEvent | null = null;
  try {
    event = await deps.glitchtip.getLatestEvent(payload.issueId);
  } catch (error) {
    log.warn({ err: error }, 'latest event unavailable; alerting without the stack trace');
  }
  return { outcome: 'enriched', data: { issue, event } };
}

export const processAlertHandler = defineHandler<WorkerDeps, typeof processAlert>({
  contract: processAlert,
  async handle(payload, { deps, job, log }) {
    const issueKey = alertKeyOf(payload);
    const enrichment = await enrich(payload, deps, job.attemptsMade, log);
    if (enrichment.outcome === 'gone') {
      log.info('issue no longer exists in GlitchTip; nothing to alert');
      return { skipped: 'issue deleted' };
    }
    const data = enrichment.outcome === 'enriched' ? enrichment.data : null;
    const [known] = await deps.db.select().from(issueStates).where(eq(issueStates.issueId, issueKey));
    const regressed =
      payload.kind === 'issue' && (payload.regression || isRegression(known, data?.issue.status ?? 'unresolved', data?.issue.count));
    const snapshot = buildAlertSnapshot(payload.kind === 'issue' ? { ...payload, regression: regressed } : payload, data, deps.config.componentTag);
    const row = await recordAlert(deps, payload, snapshot);
    log.info(
      { alertCount: row.alertCount, source: payload.source, enriched: snapshot.enriched, regression: regressed, level: snapshot.level },
      'alert recorded',
    );

    if (row.mutedUntil && row.mutedUntil.getTime() > Date.now()) {
      log.info({ mutedUntil: row.mutedUntil.toISOString() }, 'issue is muted; no message');
      return { muted: true };
    }
    const reason = payload.kind === 'uptime' ? 'uptime' : regressed ? 'regression' : row.alertCount > 1 ? 'repeat' : 'new';
    const followUpId = (kind: string) => safeJobId(kind, job.id ?? issueKey);
    const enqueued: string[] = [];
    const fanOut = async <C extends JobContract>(contract: C, payloadFor: PayloadInputOf<C>, skipBecause: string | undefined) => {
      if (skipBecause) {
        log.info({ job: contract.name, reason: skipBecause }, `${contract.name} skipped`);
        return;
      }
      await deps.producer.enqueue(contract, payloadFor, { jobId: followUpId(contract.name) });
      enqueued.push(contract.name);
    };
    const noHandler = (name: string) => (deps.handledQueues.has(name) ? undefined : 'this build has no handler for it yet');
    const apiMissing = payload.kind !== 'issue' ? 'not an issue' : !deps.glitchtip ? 'no GlitchTip API configured' : undefined;

    await fanOut(sendAlert, { issueId: issueKey, reason }, noHandler(sendAlert.name));
    if (payload.kind === 'issue' && reason !== 'repeat') {
      await fanOut(
        investigate,
        { issueId: payload.issueId },
        !deps.config.components.investigationHelper ? 'DISABLE_INVESTIGATION_HELPER' : apiMissing ?? noHandler(investigate.name),
      );
      await fanOut(
        linkRunbook,
        { issueId: payload.issueId },
        !deps.config.components.runbookLinker ? 'DISABLE_RUNBOOK_LINKER' : apiMissing ?? noHandler(linkRunbook.name),
      );
    }
    return { issueId: issueKey, reason, enqueued };
  },
});

async function recordAlert(deps: WorkerDeps, payload: ProcessAlertPayload, snapshot: AlertSnapshot) {
  const snapshotJson = snapshot as unknown as Record<string, unknown>;
  const columns = {
    kind: snapshot.kind,
    title: snapshot.title,
    level: snapshot.level,
    project: snapshot.project,
    component: snapshot.component,
    environment: snapshot.environment,
    release: snapshot.release,
    eventCount: snapshot.count,
    snapshot: snapshotJson,
  };
  const [row] = await deps.db
    .insert(alerts)
    .values({ issueId: snapshot.issueId, source: payload.source, state: 'open', ...columns })
    .onConflictDoUpdate({
      target: alerts.issueId,
      set: {
        ...columns,
        alertCount: sql`${alerts.alertCount} + 1`,
        lastAlertedAt: sql`now()`,
        updatedAt: sql`now()`,
        // A regression reopens a resolved or ignored alert, but not a muted one: a mute is a promise of quiet until
        // its time (process-alert sends nothing meanwhile); otherwise the state stays until someone changes it.
        ...(snapshot.regression
          ? {
              state: sql`case when ${alerts.mutedUntil} > now() then ${alerts.state} else 'open' end`,
              statusBy: sql`case when ${alerts.mutedUntil} > now() then ${alerts.statusBy} else null end`,
              statusAt: sql`case when ${alerts.mutedUntil} > now() then ${alerts.statusAt} else null end`,
            }
          : {}),
      },
    })
    .returning({ alertCount: alerts.alertCount, mutedUntil: alerts.mutedUntil, state: alerts.state });
  await deps.db
    .insert(issueStates)
    .values({
      issueId: snapshot.issueId,
      status: snapshot.status,
      eventCount: snapshot.count ?? 0,
      lastSeen: snapshot.lastSeen ? new Date(snapshot.lastSeen) : null,
      lastAlertedAt: new Date(),
    })
    .onConflictDoUpdate({
      target: issueStates.issueId,
      set: {
        status: snapshot.status,
        eventCount: sql`greatest(${issueStates.eventCount}, ${snapshot.count ?? 0})`,
        lastSeen: snapshot.lastSeen ? new Date(snapshot.lastSeen) : null,
        lastAlertedAt: new Date(),
        updatedAt: sql`now()`,
      },
    });
  return row!;
}
