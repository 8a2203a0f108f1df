import { z } from 'zod';
import type { JobsOptions } from 'bullmq';
import { appKey, defineJob, retryPolicy, safeJobId } from '@triage/queue';

/**
 * Why an alert is being sent; it decides between a new message that notifies and an edit that does not (Telegram never
 * notifies on edits):
 * - `new`: the first alert of an issue or monitor: a new message.
 * - `repeat`: more of the same state (events of an open issue, a monitor still down): edit the message in place.
 * - `regression`: GlitchTip says a resolved issue came back; `realert`: an issue alerts again after someone resolved or
 *   ignored it; `outage`: a monitor went down again after it recovered. Each is a new message sent as a reply to the
 *   earlier one (one thread per issue), and the earlier message is edited to point to it.
 * - `recovery`: a monitor is back up: the down message is edited ("recovered after 12 min") and a short reply notifies.
 * - `status`: someone resolved, ignored, muted or reopened the issue: only the existing messages change.
 * - `uptime`: kept so jobs queued by an older build still decode; treated as `outage` when the monitor had recovered,
 *   else as `repeat`.
 */
export const sendAlertReasons = ['new', 'repeat', 'regression', 'realert', 'outage', 'recovery', 'status', 'uptime'] as const;
export type SendAlertReason = (typeof sendAlertReasons)[number];

export const sendAlertSchema = z.object({
  issueId: z.string().min(1),
  reason: z.enum(sendAlertReasons),
  /** Only edit messages already sent; never send a new one (status changes, investigation results). */
  edit: z.literal(true).optional(),
});

export type SendAlertPayload = z.output<typeof sendAlertSchema>;

export const sendAlert = defineJob({
  name: 'send-alert',
  description: 'Render an alert and send it to its Telegram chat (or edit the message already there)',
  schema: sendAlertSchema,
  defaultOptions: retryPolicy(10, 2_000),
});

/**
 * Options for an edit after a status change. Edits re-render the alert's current state, so only the latest matters:
 * at most one edit per issue waits while another runs (BullMQ deduplication, keepLastIfActive), and a burst of
 * changes (resolve, reopen, mute...) becomes one or two edits instead of one per change.
 */
export function statusEditOptions(issueId: string): JobsOptions {
  return { deduplication: { id: safeJobId('edit', issueId), keepLastIfActive: true } };
}

/**
 * Delivery counters the workers keep in Redis (a hash, field per kind) and the ingress exports on /metrics:
 * `triage_telegram_possible_repeats_total{kind}` counts messages sent again after an unknown outcome, marked as a
 * possible repeat.
 */
export const possibleRepeatKinds = ['alert', 'digest', 'reply'] as const;
export type PossibleRepeatKind = (typeof possibleRepeatKinds)[number];

export function deliveryCountersKey(prefix: string): string {
  return appKey(prefix, 'metrics', 'delivery');
}

/** The counters as Prometheus text (0 for a kind never counted). */
export function renderDeliveryCounters(counts: Record<string, string>): string {
  const name = 'triage_telegram_possible_repeats_total';
  return [
    `# HELP ${name} Telegram messages sent again after an unknown outcome (a killed worker, a lost answer), marked as a possible repeat`,
    `# TYPE ${name} counter`,
    ...possibleRepeatKinds.map((kind) => `${name}{kind="${kind}"} ${Number(counts[kind] ?? 0) || 0}`),
    '',
  ].join('\n');
}
