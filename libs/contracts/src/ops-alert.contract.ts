import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';

/**
 * An alert about Triage itself (a job that failed for good, a stuck queue, undelivered alerts), sent to OPS_CHAT_ID
 * (else TELEGRAM_CHAT_ID). `throttleKey` groups alerts of one kind: at most one per key per `throttleSeconds`.
 */
export const opsAlertSchema = z.object({
  /** e.g. `job-failed:send-alert`, `queue-stuck:investigate`, `undelivered-alerts`. */
  throttleKey: z.string().min(1).max(200),
  title: z.string().min(1).max(200),
  /** Plain text (escaped when rendered); the error message, counts, what to look at. */
  details: z.string().max(3000).default(''),
  /** A link to look further (Bull Board, the issue). */
  link: z.url().optional(),
  throttleSeconds: z.number().int().min(0).max(7 * 24 * 3600).default(3600),
  raisedAt: z.iso.datetime(),
});

export type OpsAlertPayload = z.output<typeof opsAlertSchema>;

export const opsAlert = defineJob({
  name: 'ops-alert',
  description: 'Tell the ops chat that something in Triage itself is wrong (throttled per kind)',
  schema: opsAlertSchema,
  defaultOptions: retryPolicy(5, 5_000),
  // One job per key and minute: a burst of identical failures is one job; the handler's throttle does the rest.
  jobId: (payload) => safeJobId('ops', payload.throttleKey, Math.floor(Date.parse(payload.raisedAt) / 60_000)),
});
