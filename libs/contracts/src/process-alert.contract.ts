import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';
import { issueSignalSchema, uptimeSignalSchema } from '@triage/webhook';

/** Alerts of one issue within this window are one alert: GlitchTip fires once per alert rule, often several at once. */
export const ALERT_DEDUP_WINDOW_MS = 5 * 60_000;

const envelope = {
  source: z.enum(['webhook', 'poller', 'replay']),
  receivedAt: z.iso.datetime(),
};

export const processAlertSchema = z.discriminatedUnion('kind', [
  issueSignalSchema.extend({
    ...envelope,
    regression: z.boolean().default(false),
    /** The issue's event count when the producer knows it (the poller): part of the job id, so more events are news. */
    eventCount: z.number().int().nonnegative().optional(),
    /**
     * The body said "(N issues)" but listed fewer (GlitchTip shows at most 3): in webhook-only mode, how many more and
     * where GlitchTip lists them, for a "+N more" line (set on the body's first issue only).
     */
    moreIssues: z.object({ count: z.number().int().min(1), url: z.url() }).optional(),
  }),
  uptimeSignalSchema.extend(envelope),
]);

export type ProcessAlertPayload = z.output<typeof processAlertSchema>;

function windowOf(receivedAt: string): number {
  return Math.floor(Date.parse(receivedAt) / ALERT_DEDUP_WINDOW_MS);
}

/**
 * The job id says what the signal is (issue or monitor, regression or not, the event count when known, down or up) and
 * its window. It collapses identical signals while one of them still waits or runs (GlitchTip fires once per alert
 * rule, often several at once; a body posted twice). A finished job leaves no id behind (removeOnComplete): whatever
 * arrives later is judged by process-alert against the recorded alert, where only a true repeat of the same state
 * inside the window collapses, and a regression, an alert after a resolve, or a monitor down again after it recovered
 * is always a new transition, even inside the window of an earlier alert.
 */
export const processAlert = defineJob({
  name: 'process-alert',
  description: 'Enrich an alert from the GlitchTip API, record it, and fan out to send-alert, investigate and link-runbook',
  schema: processAlertSchema,
  defaultOptions: { ...retryPolicy(8, 2_000), removeOnComplete: true },
  jobId: (payload) =>
    payload.kind === 'issue'
      ? safeJobId(
          payload.regression ? 'regression' : 'alert',
          payload.issueId,
          ...(payload.eventCount !== undefined ? [`n${payload.eventCount}`] : []),
          windowOf(payload.receivedAt),
        )
      : safeJobId('uptime', payload.monitorId, payload.down ? 'down' : 'up', windowOf(payload.receivedAt)),
});
