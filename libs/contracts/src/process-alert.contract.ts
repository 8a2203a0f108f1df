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
  issueSignalSchema.extend({ ...envelope, regression: z.boolean().default(false) }),
  uptimeSignalSchema.extend(envelope),
]);

export type ProcessAlertPayload = z.output<typeof processAlertSchema>;

function windowOf(receivedAt: string): number {
  return Math.floor(Date.parse(receivedAt) / ALERT_DEDUP_WINDOW_MS);
}

export const processAlert = defineJob({
  name: 'process-alert',
  description: 'Enrich an alert from the GlitchTip API, record it, and fan out to send-alert, investigate and link-runbook',
  schema: processAlertSchema,
  defaultOptions: retryPolicy(8, 2_000),
  jobId: (payload) =>
    payload.kind === 'issue'
      ? safeJobId(payload.regression ? 'regression' : 'alert', payload.issueId, windowOf(payload.receivedAt))
      : safeJobId('uptime', payload.monitorId, payload.down ? 'down' : 'up', windowOf(payload.receivedAt)),
});
