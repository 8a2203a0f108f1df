import { z } from 'zod';
import { defineJob, retryPolicy } from '@triage/queue';

export const sendAlertSchema = z.object({
  issueId: z.string().min(1),
  reason: z.enum(['new', 'repeat', 'regression', 'uptime']),
});

export const sendAlert = defineJob({
  name: 'send-alert',
  description: 'Render an alert and send it to its Telegram chat (or edit the message already there)',
  schema: sendAlertSchema,
  defaultOptions: retryPolicy(10, 2_000),
});
