import { DelayedError } from 'bullmq';
import { eq } from 'drizzle-orm';
import { auditLog, recordAudit } from '@triage/db';
import { isTelegramApiError, telegramMessageLimit, telegramTextLength, type SendMessageParams } from '@triage/telegram';
import type { HandlerContext } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

export interface ChatReply {
  chatId: string;
  threadId?: number;
  /** The message this answers (a command, or the alert a button sits on). */
  replyTo?: number;
  /** Telegram HTML, every interpolated value already escaped (and PII-scrubbed). */
  html: string;
  /** Audit fields: the row doubles as the "already sent" mark, so a retried job does not reply twice. */
  actor: string;
  action: string;
  issueId?: string;
  idempotencyKey: string;
}

export type ReplyOutcome = 'sent' | 'already-sent' | 'no-telegram' | 'failed';

/** Cuts a reply that would exceed Telegram's limit at a line break, closing nothing: callers keep tags within lines. */
export function fitReply(lines: string[], limit = telegramMessageLimit): string {
  const kept: string[] = [];
  for (const line of lines) {
    const candidate = [...kept, line, '…'].join('\n');
    if (telegramTextLength(candidate) > limit) {
      kept.push('…');
      break;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

/**
 * Sends one reply through the shared per-chat pacer, at most once per idempotency key. A chat over its budget puts the
 * job back as delayed (other chats keep flowing); a 429 pauses the chat for every process and retries.
 */
export async function sendChatReply(reply: ChatReply, { deps, job, token, log }: HandlerContext<WorkerDeps>): Promise<ReplyOutcome> {
  if (!deps.telegram) {
    log.info({ action: reply.action }, 'TELEGRAM_BOT_TOKEN unset: reply not sent');
    return 'no-telegram';
  }
  const [done] = await deps.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.idempotencyKey, reply.idempotencyKey));
  if (done) return 'already-sent';

  const decision = await deps.pacer.reserve(reply.chatId);
  if (!decision.ok) {
    await job.moveToDelayed(Date.now() + decision.waitMs, token);
    throw new DelayedError();
  }
  const params: SendMessageParams = {
    chat_id: reply.chatId,
    text: reply.html,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(reply.threadId !== undefined ? { message_thread_id: reply.threadId } : {}),
    ...(reply.replyTo !== undefined ? { reply_parameters: { message_id: reply.replyTo, allow_sending_without_reply: true } } : {}),
  };
  const audit = { actor: reply.actor, action: reply.action, target: 'telegram' as const, issueId: reply.issueId };
  try {
    let message;
    try {
      message = await deps.telegram.sendMessage(params);
    } catch (error) {
      // A deleted or closed forum topic: answer in the chat's general thread rather than not at all.
      if (!isTelegramApiError(error) || error.kind !== 'thread-not-found' || params.message_thread_id === undefined) throw error;
      const { message_thread_id: _thread, ...withoutThread } = params;
      message = await deps.telegram.sendMessage(withoutThread);
    }
    await recordAudit(deps.db, {
      ...audit,
      result: deps.config.dryRun ? 'dry-run' : 'ok',
      details: { chatId: reply.chatId, messageId: message.message_id },
      idempotencyKey: reply.idempotencyKey,
    });
    return 'sent';
  } catch (error) {
    if (isTelegramApiError(error) && error.kind === 'rate-limited') await deps.pacer.pauseChat(reply.chatId, (error.retryAfterSeconds ?? 1) * 1000);
    if (isTelegramApiError(error) && !error.retryable) {
      // Retrying the same request cannot help (blocked, bad chat, bad HTML): record it and stop.
      log.warn({ err: error, action: reply.action }, 'reply not deliverable');
      await recordAudit(deps.db, { ...audit, result: 'error', error: error.message, idempotencyKey: reply.idempotencyKey });
      return 'failed';
    }
    throw error;
  }
}
