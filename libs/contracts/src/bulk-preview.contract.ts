import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';
import { bulkActions, bulkQueryMaxLength, checkBulkQuery } from './bulk-query';
import { telegramActorSchema } from './issue-action.contract';

export const bulkPreviewSchema = z.object({
  action: z.enum(bulkActions),
  /** Checked again here so that a bad query never reaches GlitchTip, whoever enqueued it. */
  query: z
    .string()
    .max(bulkQueryMaxLength)
    .superRefine((query, context) => {
      const checked = checkBulkQuery(query);
      if (!checked.ok) context.addIssue({ code: 'custom', message: checked.error });
    }),
  actor: telegramActorSchema,
  chatId: z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/),
  messageId: z.number().int().positive().optional(),
  threadId: z.number().int().positive().optional(),
  /** The Telegram update id: a redelivered /bulk makes one preview. */
  requestId: z.string().min(1).max(100),
});

export type BulkPreviewPayload = z.output<typeof bulkPreviewSchema>;

export const bulkPreview = defineJob({
  name: 'bulk-preview',
  description: 'List what a /bulk resolve|ignore query matches and answer with a preview and Confirm / Cancel buttons (10 minutes)',
  schema: bulkPreviewSchema,
  defaultOptions: retryPolicy(3, 2_000),
  jobId: (payload) => safeJobId('bulk-preview', payload.requestId),
});
