import { recordAudit } from '@triage/db';
import { sendChatReply } from '@triage/delivery';
import { bulkApply, type BulkApplyPayload } from '@triage/contracts';
import { applyBulk, cancelBulk, renderApplyOutcome } from '@triage/outcomes';
import { appKey } from '@triage/queue';
import { escapeHtml } from '@triage/telegram';
import { defineHandler, type HandlerContext } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

type Context = HandlerContext<WorkerDeps>;

function reply(payload: BulkApplyPayload, html: string, context: Context) {
  return sendChatReply(
    {
      chatId: payload.chatId,
      threadId: payload.threadId,
      replyTo: payload.messageId,
      html,
      actor: `telegram:${payload.actor.userId}`,
      action: `reply.bulk-${payload.decision}`,
      idempotencyKey: `bulk-apply:${payload.requestId}`,
    },
    context,
  );
}

async function refuse(payload: BulkApplyPayload, reason: string, context: Context): Promise<void> {
  await recordAudit(context.deps.db, {
    actor: `telegram:${payload.actor.userId}`,
    action: `bulk.${payload.decision}`,
    target: 'triage',
    result: 'refused',
    details: { operationId: payload.operationId, chatId: payload.chatId, reason },
    idempotencyKey: `bulk-apply-refused:${payload.requestId}`,
  });
}

/**
 * The answer is decided once: a job put back by the chat pacer runs again, and by then the operation it applied says
 * "already applied". The first decision is kept (a day) and sent on every run until it is delivered.
 */
async function answerOnce(payload: BulkApplyPayload, context: Context, decide: () => Promise<string>): Promise<string> {
  const key = appKey(context.deps.config.queuePrefix, 'bulk-apply', 'answer', payload.requestId);
  const kept = await context.deps.redis.get(key);
  const text = kept ?? (await decide());
  if (kept === null) await context.deps.redis.set(key, text, 'EX', 86_400);
  await reply(payload, text, context);
  return text;
}

/** A press on a bulk preview's Confirm or Cancel: only its requester (and an allowed user), only within 10 minutes. */
export const bulkApplyHandler = defineHandler<WorkerDeps, typeof bulkApply>({
  contract: bulkApply,
  async handle(payload, context) {
    const answer = await answerOnce(payload, context, () => decide(payload, context));
    return { decision: payload.decision, answer };
  },
});

async function decide(payload: BulkApplyPayload, context: Context): Promise<string> {
  const { deps, job } = context;
  const actor = `telegram:${payload.actor.userId}`;
  if (!deps.config.telegram.allowedUserIds.includes(payload.actor.userId)) {
    await refuse(payload, 'not in TELEGRAM_ALLOWED_USER_IDS', context);
    return 'You are not allowed to do this.';
  }
  if (payload.decision === 'cancel') {
    const outcome = await cancelBulk(deps, { operationId: payload.operationId, actor });
    if (outcome.kind === 'not-requester') await refuse(payload, 'not the requester', context);
    return outcome.kind === 'cancelled'
        ? `✖️ Bulk action <code>${escapeHtml(payload.operationId)}</code> cancelled; nothing changed.`
        : outcome.kind === 'not-found'
          ? 'This bulk preview no longer exists.'
          : outcome.kind === 'not-requester'
            ? 'Only the person who asked for this bulk action can cancel it.'
            : `Bulk action <code>${escapeHtml(payload.operationId)}</code> is already ${escapeHtml(outcome.operation.state)}.`;
  }
  if (!deps.glitchtip) return '⚠️ Bulk actions need the GlitchTip API (GLITCHTIP_BASE_URL).';
  const outcome = await applyBulk(
    { db: deps.db, glitchtip: deps.glitchtip, dataDir: deps.config.dataDir, log: context.log },
    // A retried attempt continues the operation its first attempt claimed.
    { operationId: payload.operationId, actor, resume: job.attemptsMade > 0 },
  );
  if (outcome.kind === 'not-requester') await refuse(payload, 'not the requester', context);
  if (outcome.kind === 'expired') await refuse(payload, 'preview expired', context);
  context.log.info({ operationId: payload.operationId, outcome: outcome.kind, ...('written' in outcome ? { written: outcome.written } : {}) }, 'bulk confirm handled');
  return renderApplyOutcome(outcome);
}
