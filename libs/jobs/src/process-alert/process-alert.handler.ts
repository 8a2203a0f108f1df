import { alertKeyOf, buildAlertSnapshot, notifies, recordAlertSignal, type AlertTransition, type EnrichmentData } from '@triage/alerts';
import { GlitchTipHttpError, type GlitchTipEvent, type GlitchTipIssue } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { safeJobId, type JobContract, type PayloadInputOf } from '@triage/queue';
import { defineHandler, type HandlerContext } from '@triage/worker-runtime';
import { ALERT_DEDUP_WINDOW_MS, investigate, linkRunbook, processAlert, sendAlert, type ProcessAlertPayload } from '@triage/contracts';
import { recordOutcomeEvent, type ExperimentGroup } from '@triage/outcomes';
import type { WorkerDeps } from '../worker-deps';

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
  async handle(payload, context) {
    const { deps, job, log } = context;
    const issueKey = alertKeyOf(payload);
    const enrichment = await enrich(payload, deps, job.attemptsMade, log);
    if (enrichment.outcome === 'gone') {
      log.info('issue no longer exists in GlitchTip; nothing to alert');
      return { skipped: 'issue deleted' };
    }
    const switchedOff = !deps.config.glitchtip.integrationEnabled;
    const data = enrichment.outcome === 'enriched' ? enrichment.data : null;
    // A job id can come back once its job is done: its creation time makes the signal's key unique.
    const signalKey = `${job.id ?? issueKey}@${job.timestamp}`;
    const recorded = await recordAlertSignal(deps.db, {
      snapshot: buildAlertSnapshot(payload, data, deps.config.componentTag),
      source: payload.source,
      receivedAt: new Date(payload.receivedAt),
      signalKey,
      regressionSeen: payload.kind === 'issue' && payload.regression,
      suppressed: switchedOff,
      dedupWindowMs: ALERT_DEDUP_WINDOW_MS,
    });
    const { decision } = recorded;
    if (decision.action === 'skip') {
      log.info({ why: decision.why, source: payload.source }, 'alert not recorded: nothing changed since the last one');
      return { issueId: issueKey, skipped: decision.why };
    }
    const transition = decision.transition;
    // Outcome metrics (libs/outcomes): the alert opens or extends its episode, which fixes the issue's A/B group.
    const group = payload.kind === 'issue' ? await recordEpisode(payload.issueId, payload.receivedAt, transition, context) : undefined;
    log.info(
      { transition, alertCount: recorded.alertCount, source: payload.source, enriched: recorded.snapshot.enriched, level: recorded.snapshot.level, retry: decision.action === 'retry' },
      'alert recorded',
    );
    if (switchedOff) {
      // The emergency switch: recorded (the poller and the report cover this time), marked suppressed so nothing
      // replays it when the switch is turned back on, and nothing is sent or written anywhere.
      log.warn({ transition }, 'GLITCHTIP_INTEGRATION_ENABLED=false: alert recorded, nothing sent');
      return { issueId: issueKey, transition, suppressed: true };
    }
    if (recorded.mutedUntil && recorded.mutedUntil.getTime() > Date.now()) {
      log.info({ mutedUntil: recorded.mutedUntil.toISOString(), transition }, 'issue is muted; no message');
      return { issueId: issueKey, transition, muted: true };
    }
    const enqueued = await fanOut(payload, issueKey, transition, signalKey, context, group);
    return { issueId: issueKey, reason: transition, enqueued };
  },
});

async function fanOut(
  payload: ProcessAlertPayload,
  issueKey: string,
  transition: AlertTransition,
  signalKey: string,
  { deps, log }: HandlerContext<WorkerDeps>,
  group?: ExperimentGroup,
): Promise<string[]> {
  const enqueued: string[] = [];
  // One follow-up per recorded signal: a retry re-enqueues the same ids, a later signal gets its own.
  const enqueue = async <C extends JobContract>(contract: C, payloadFor: PayloadInputOf<C>, skipBecause: string | undefined) => {
    if (skipBecause) {
      log.info({ job: contract.name, reason: skipBecause }, `${contract.name} skipped`);
      return;
    }
    await deps.producer.enqueue(contract, payloadFor, { jobId: safeJobId(contract.name, issueKey, transition, signalKey) });
    enqueued.push(contract.name);
  };
  const noHandler = (name: string) => (deps.handledQueues.has(name) ? undefined : 'this build has no handler for it yet');
  // The A/B holdout: the control group gets no automatic investigation or runbook link (buttons still work).
  const apiMissing = group === 'control' ? 'A/B holdout: control group (no automatic help)' : payload.kind !== 'issue' ? 'not an issue' : !deps.glitchtip ? 'no GlitchTip API configured' : undefined;

  await enqueue(sendAlert, { issueId: issueKey, reason: transition }, noHandler(sendAlert.name));
  if (payload.kind === 'issue' && notifies(transition)) {
    await enqueue(
      investigate,
      { issueId: payload.issueId },
      !deps.config.components.investigationHelper ? 'DISABLE_INVESTIGATION_HELPER' : (apiMissing ?? noHandler(investigate.name)),
    );
    await enqueue(
      linkRunbook,
      { issueId: payload.issueId },
      !deps.config.components.runbookLinker ? 'DISABLE_RUNBOOK_LINKER' : (apiMissing ?? noHandler(linkRunbook.name)),
    );
  }
  return enqueued;
}

/** The episode's group, or undefined when outcomes could not be recorded (the alert still goes out, with help). */
async function recordEpisode(issueId: string, receivedAt: string, transition: AlertTransition, { deps, log }: HandlerContext<WorkerDeps>): Promise<ExperimentGroup | undefined> {
  try {
    const { episode } = await recordOutcomeEvent(deps.db, {
      type: 'alerted',
      issueId,
      at: new Date(receivedAt),
      regression: transition === 'regression',
      holdoutPercent: deps.config.experiment.holdoutPercent,
    });
    return episode?.group;
  } catch (error) {
    log.warn({ err: error }, 'alert episode not recorded');
    return undefined;
  }
}
