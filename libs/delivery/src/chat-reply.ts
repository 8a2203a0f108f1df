import { DelayedError } from 'bullmq';
import type { Redis } from 'ioredis';
import { eq } from 'drizzle-orm';
import { auditLog, recordAudit } from '@triage/db';
import { htmlToVisibleText, isTelegramApiError, telegramMessageLimit, telegramTextLength, type InlineKeyboardMarkup } from '@triage/telegram';
import type { DeliveryContext } from './delivery-deps';
import { readDelivery, recordDelivery } from './delivery-record';
import { countPossibleRepeat } from './delivery-metrics';
import { beginReplyAttempt, clearReplyAttempt, markPossibleRepeat } from './reply-attempt';
import { outcomeUnknown } from './send-outcome';
import { sendWithFallbacks } from './telegram-writes';

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
  /** Buttons under the reply (the investigation summary's Helpful / Not helpful). */
  keyboard?: InlineKeyboardMarkup;
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

function replyRecordKey(idempotencyKey: string): string {
  return `reply:${idempotencyKey}`;
}

/** The message id of a reply sent under this key, while its delivery record lasts (a week). */
export async function sentReplyMessageId(redis: Redis, prefix: string, idempotencyKey: string): Promise<number | undefined> {
  return (await readDelivery(redis, prefix, replyRecordKey(idempotencyKey)))?.messageId;
}

/**
 * Sends one reply through the shared per-chat pacer, at most once per idempotency key. A chat over its budget, or a
 * 429, puts the job back as delayed without spending an attempt (other chats keep flowing). Once Telegram answered,
 * the message id is recorded in Redis before the audit row: a retry after a Postgres failure only writes the row. An
 * unknown outcome (a lost answer, a worker killed mid-call) is retried: the reply goes out again, marked as a possible
 * repeat and counted (triage_telegram_possible_repeats_total{kind="reply"}).
 */
export async function sendChatReply(reply: ChatReply, { deps, job, token, log }: DeliveryContext): Promise<ReplyOutcome> {
  if (!deps.telegram) {
    log.info({ action: reply.action }, 'TELEGRAM_BOT_TOKEN unset: reply not sent');
    return 'no-telegram';
  }
  const [done] = await deps.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.idempotencyKey, reply.idempotencyKey));
  if (done) return 'already-sent';
  const audit = { actor: reply.actor, action: reply.action, target: 'telegram' as const, issueId: reply.issueId };
  const prefix = deps.config.queuePrefix;
  const recordKey = replyRecordKey(reply.idempotencyKey);
  const writeAudit = (messageId: number) =>
    recordAudit(deps.db, {
      ...audit,
      result: deps.config.dryRun ? 'dry-run' : 'ok',
      details: { chatId: reply.chatId, messageId },
      idempotencyKey: reply.idempotencyKey,
    });

  const recorded = await readDelivery(deps.redis, prefix, recordKey);
  if (recorded) {
    await writeAudit(recorded.messageId);
    return 'already-sent';
  }

  const decision = await deps.pacer.reserve(reply.chatId);
  if (!decision.ok) {
    await job.moveToDelayed(Date.now() + decision.waitMs, token);
    throw new DelayedError();
  }
  const possibleRepeat = await beginReplyAttempt(deps.redis, prefix, reply.idempotencyKey);
  const html = possibleRepeat ? markPossibleRepeat(reply.html) : reply.html;
  let messageId: number;
  try {
    // The same recoveries as alerts: plain text when Telegram cannot parse the HTML, no topic when it is gone.
    const result = await sendWithFallbacks(deps.telegram, reply.chatId, reply.threadId, { html, plainText: htmlToVisibleText(html), ...(reply.keyboard ? { keyboard: reply.keyboard } : {}) }, log, reply.replyTo);
    messageId = result.message.message_id;
    await recordDelivery(deps.redis, prefix, [recordKey], { chatId: reply.chatId, messageId, threadId: result.threadId, plain: result.plain });
  } catch (error) {
    if (!isTelegramApiError(error)) throw error;
    if (outcomeUnknown(error)) {
      // The reply may or may not be in the chat: delivery over silence, the retry sends it again marked as a possible
      // repeat (the attempt mark stays for it to find).
      log.warn({ err: error, action: reply.action }, 'reply may or may not have been posted; the retry sends it again, marked as a possible repeat');
      await recordAudit(deps.db, { ...audit, result: 'error', error: error.message, details: { chatId: reply.chatId, outcome: 'unknown' }, idempotencyKey: `${reply.idempotencyKey}:unknown:${job.attemptsMade}` });
      throw error;
    }
    await clearReplyAttempt(deps.redis, prefix, reply.idempotencyKey);
    if (error.kind === 'rate-limited') {
      // Telegram's pause holds for every process; this job waits it out without spending an attempt.
      const waitMs = (error.retryAfterSeconds ?? 1) * 1000;
      await deps.pacer.pauseChat(reply.chatId, waitMs);
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }
    if (!error.retryable) {
      // Retrying cannot help (blocked, bad chat, a message Telegram will never take): record and stop.
      log.warn({ err: error, action: reply.action }, 'reply not deliverable');
      await recordAudit(deps.db, { ...audit, result: 'error', error: error.message, idempotencyKey: reply.idempotencyKey });
      return 'failed';
    }
    throw error;
  }
  if (possibleRepeat) {
    log.warn({ chatId: reply.chatId, messageId, action: reply.action }, 'reply sent again after an unknown outcome, marked as a possible repeat');
    await countPossibleRepeat(deps.redis, prefix, 'reply').catch((error: unknown) => log.warn({ err: error }, 'could not count a possible repeat'));
  }
  await writeAudit(messageId);
  return 'sent';
}
