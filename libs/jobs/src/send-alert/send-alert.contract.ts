import { z } from 'zod';
import { defineJob, retryPolicy } from '@triage/queue';

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
