import { z } from 'zod';
import type { JobsOptions } from 'bullmq';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';

export const sendAlertSchema = z.object({
  issueId: z.string().min(1),
  /** `status`: someone resolved, ignored, muted or reopened the issue; only the existing messages change. */
  reason: z.enum(['new', 'repeat', 'regression', 'uptime', 'status']),
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
