import { eq } from 'drizzle-orm';
import { opsAlert, type OpsAlertPayload } from '@triage/contracts';
import { currentChatId, outcomeUnknown, readDelivery, recordDelivery, rememberMigration } from '@triage/delivery';
import { auditLog, recordAudit } from '@triage/db';
import { appKey } from '@triage/queue';
import { isTelegramApiError } from '@triage/telegram';
import { defineHandler, postponeJob } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { renderOpsAlert } from './ops-alert-message';

/** Deletes the throttle mark only while it is still this job's, so a failed send leaves room for its retry. */
const releaseIfMine = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

function audit(deps: WorkerDeps, payload: OpsAlertPayload, chatId: string, messageId: number, idempotencyKey: string): Promise<void> {
  return recordAudit(deps.db, {
    actor: 'triage',
    action: 'ops-alert',
    target: 'telegram',
    result: deps.config.dryRun ? 'dry-run' : 'ok',
    details: { chatId, messageId, throttleKey: payload.throttleKey, title: payload.title },
    idempotencyKey,
  });
}

export const opsAlertHandler = defineHandler<WorkerDeps, typeof opsAlert>({
  contract: opsAlert,
  concurrency: 2,
  async handle(payload, context) {
    const { deps, job, log } = context;
    const configuredChatId = deps.config.opsChatId;
    if (!deps.telegram || !configuredChatId) {
      log.warn({ opsAlert: payload }, 'ops alert (Telegram off or no OPS_CHAT_ID/TELEGRAM_CHAT_ID): logged only');
      return { action: 'logged' };
    }
    // A group that became a supergroup is followed (the alert path and the failure below record the move).
    const chatId = await currentChatId(deps.redis, deps.config.queuePrefix, configuredChatId);
    const idempotencyKey = `ops-alert:${job.id}`;
    const [audited] = await deps.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.idempotencyKey, idempotencyKey));
    if (audited) return { action: 'already-sent' };
    const recorded = await readDelivery(deps.redis, deps.config.queuePrefix, idempotencyKey);
    if (recorded) {
      await audit(deps, payload, recorded.chatId, recorded.messageId, idempotencyKey);
      return { action: 'already-sent' };
    }

    const throttleKey = appKey(deps.config.queuePrefix, 'ops-throttle', payload.throttleKey);
    const token = job.id ?? `${Date.now()}`;
    if (payload.throttleSeconds > 0) {
      const claimed = await deps.redis.set(throttleKey, token, 'EX', payload.throttleSeconds, 'NX');
      if (claimed !== 'OK' && (await deps.redis.get(throttleKey)) !== token) {
        log.info({ throttleKey: payload.throttleKey }, 'ops alert throttled: one of this kind went out recently');
        return { action: 'throttled' };
      }
    }
    const decision = await deps.pacer.reserve(chatId);
    if (!decision.ok) return postponeJob(context, { ms: decision.waitMs, reason: decision.reason });
    let messageId: number;
    try {
      const message = await deps.telegram.sendMessage({
        chat_id: chatId,
        text: renderOpsAlert(payload),
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      });
      messageId = message.message_id;
    } catch (error) {
      if (isTelegramApiError(error, 'rate-limited')) {
        // The throttle mark stays this job's, so its next run goes through; the wait spends no attempt.
        const ms = ((error).retryAfterSeconds ?? 1) * 1000;
        await deps.pacer.pauseChat(chatId, ms);
        return postponeJob(context, { ms, reason: 'paused' });
      }
      if (!isTelegramApiError(error) || outcomeUnknown(error)) {
        // It may have been posted: a retry could post it twice, and freeing the throttle would let the next one of
        // this kind through within the hour. Keep the mark; say so in the log instead.
        log.warn({ err: error, throttleKey: payload.throttleKey }, 'ops alert: Telegram may or may not have posted it; not retried');
        return { action: 'outcome-unknown' };
      }
      if (isTelegramApiError(error, 'chat-migrated') && error.newChatId !== undefined) {
        await rememberMigration(deps.redis, deps.config.queuePrefix, chatId, String(error.newChatId));
      }
      // Telegram answered with a refusal: nothing was posted, so the throttle is freed for this job's retry.
      await deps.redis.eval(releaseIfMine, 1, throttleKey, token).catch(() => undefined);
      throw error;
    }
    // The message id first: it survives a Postgres failure, so a retry finds it and only writes the audit row.
    await recordDelivery(deps.redis, deps.config.queuePrefix, [idempotencyKey], { messageId, chatId });
    await audit(deps, payload, chatId, messageId, idempotencyKey);
    return { action: 'sent', messageId };
  },
});
