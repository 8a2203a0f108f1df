import { eq } from 'drizzle-orm';
import { opsAlert, type OpsAlertPayload } from '@triage/contracts';
import { readDelivery, recordDelivery } from '@triage/delivery';
import { auditLog, recordAudit } from '@triage/db';
import { appKey } from '@triage/queue';
import { isTelegramApiError, type TelegramApiError } from '@triage/telegram';
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
    const chatId = deps.config.opsChatId;
    if (!deps.telegram || !chatId) {
      log.warn({ opsAlert: payload }, 'ops alert (Telegram off or no OPS_CHAT_ID/TELEGRAM_CHAT_ID): logged only');
      return { action: 'logged' };
    }
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
    try {
      const message = await deps.telegram.sendMessage({
        chat_id: chatId,
        text: renderOpsAlert(payload),
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      });
      // The message id survives a Postgres failure: a retry finds it and only writes the audit row.
      await recordDelivery(deps.redis, deps.config.queuePrefix, [idempotencyKey], { messageId: message.message_id, chatId });
      await audit(deps, payload, chatId, message.message_id, idempotencyKey);
      return { action: 'sent', messageId: message.message_id };
    } catch (error) {
      if (isTelegramApiError(error, 'rate-limited')) {
        // The throttle mark stays this job's, so its next run goes through; the wait spends no attempt.
        const ms = ((error as TelegramApiError).retryAfterSeconds ?? 1) * 1000;
        await deps.pacer.pauseChat(chatId, ms);
        return postponeJob(context, { ms, reason: 'paused' });
      }
      await deps.redis.eval(releaseIfMine, 1, throttleKey, token).catch(() => undefined);
      throw error;
    }
  },
});
