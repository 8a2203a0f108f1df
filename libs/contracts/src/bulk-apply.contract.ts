import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';
import { bulkOperationIdPattern } from './bulk-callback';
import { telegramActorSchema } from './issue-action.contract';

export const bulkApplySchema = z.object({
  operationId: z.string().regex(bulkOperationIdPattern),
  decision: z.enum(['confirm', 'cancel']),
  actor: telegramActorSchema,
  chatId: z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/),
  messageId: z.number().int().positive().optional(),
  threadId: z.number().int().positive().optional(),
  /** The callback query id: a redelivered press applies once. */
  requestId: z.string().min(1).max(100),
});

export type BulkApplyPayload = z.output<typeof bulkApplySchema>;

export const bulkApply = defineJob({
  name: 'bulk-apply',
  description: 'Confirm (backup, then the writes in audited batches) or cancel a bulk preview, for the Telegram user who asked for it',
  // Few attempts: a retry resumes the same operation (the backup is never taken twice, written batches are skipped).
  defaultOptions: retryPolicy(3, 5_000),
  schema: bulkApplySchema,
  jobId: (payload) => safeJobId('bulk-apply', payload.requestId),
});
