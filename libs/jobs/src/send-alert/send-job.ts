import { recordAudit, type AuditEntry } from '@triage/db';
import { recordDelivery, type DeliveryRecord } from '@triage/delivery';
import type { TelegramApiError, TelegramBotApi } from '@triage/telegram';
import type { HandlerContext } from '@triage/worker-runtime';
import type { SendAlertReason } from '@triage/contracts';
import type { WorkerDeps } from '../worker-deps';

export type WaitReason = 'paused' | 'chat' | 'group' | 'global' | 'claim';

export type TargetOutcome =
  | {
      chatId: string;
      action: 'sent' | 'edited' | 'unchanged' | 'digest-sent' | 'in-digest' | 'nothing-to-edit' | 'muted';
      messageId?: number;
    }
  | { chatId: string; wait: { ms: number; reason: WaitReason } }
  | { chatId: string; failure: Error };

/** One pass through a target's state machine: an outcome, or 'again' after a state change. */
export type Step = TargetOutcome | 'again';

export interface Target {
  chatId: string;
  /** The forum topic the route names. */
  threadId: number | undefined;
}

export type SendContext = HandlerContext<WorkerDeps & { telegram: TelegramBotApi }>;

/** What every part of one send-alert run shares: the job, its deps and the issue it is for. */
export interface SendJob {
  context: SendContext;
  deps: SendContext['deps'];
  log: SendContext['log'];
  issueId: string;
  jobId: string;
  /** Queue prefix: delivery records, waiting sets and counters live under it. */
  prefix: string;
  /** The payload's reason, as audited. */
  reason: SendAlertReason;
}

export function sendJobOf(context: SendContext, issueId: string, reason: SendAlertReason): SendJob {
  return { context, deps: context.deps, log: context.log, issueId, jobId: context.job.id ?? '', prefix: context.deps.config.queuePrefix, reason };
}

export async function auditWrite(job: SendJob, entry: {
  action: 'send-alert' | 'edit-alert';
  chatId: string;
  key: string;
  issueId?: string | null;
  details?: Record<string, unknown>;
  error?: TelegramApiError;
}): Promise<void> {
  const record: AuditEntry = {
    actor: 'triage',
    action: entry.action,
    target: 'telegram',
    issueId: entry.issueId === null ? undefined : (entry.issueId ?? job.issueId),
    result: entry.error ? 'error' : job.deps.config.dryRun ? 'dry-run' : 'ok',
    details: { chatId: entry.chatId, reason: job.reason, ...entry.details, ...(entry.error ? { kind: entry.error.kind } : {}) },
    error: entry.error?.message,
    idempotencyKey: entry.key,
  };
  await recordAudit(job.deps.db, record);
}

/** Without the record, a Postgres failure next would resend; log it and go on (the claim still guards the row). */
export async function recordOrWarn(job: SendJob, keys: string[], record: DeliveryRecord): Promise<void> {
  try {
    await recordDelivery(job.deps.redis, job.prefix, keys, record);
  } catch (error) {
    job.log.warn({ err: error, chatId: record.chatId }, 'could not record the delivery in Redis; going on with the bookkeeping');
  }
}
