import { recordAudit } from '@triage/db';
import { sendChatReply } from '@triage/delivery';
import { bulkPreview, type BulkPreviewPayload } from '@triage/contracts';
import { newOperationId, previewBulk, renderBulkPreview } from '@triage/outcomes';
import { escapeHtml, type InlineKeyboardMarkup } from '@triage/telegram';
import { defineHandler, type HandlerContext } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

type Context = HandlerContext<WorkerDeps>;

export const bulkRefusalText = 'You are not allowed to do this.';

function reply(payload: BulkPreviewPayload, html: string, context: Context, keyboard?: InlineKeyboardMarkup) {
  return sendChatReply(
    {
      chatId: payload.chatId,
      threadId: payload.threadId,
      replyTo: payload.messageId,
      html,
      actor: `telegram:${payload.actor.userId}`,
      action: 'reply.bulk-preview',
      idempotencyKey: `bulk-preview:${payload.requestId}`,
      ...(keyboard ? { keyboard } : {}),
    },
    context,
  );
}

/** `/bulk resolve|ignore <query>`: list what matches and answer with a preview and Confirm / Cancel (10 minutes). */
export const bulkPreviewHandler = defineHandler<WorkerDeps, typeof bulkPreview>({
  contract: bulkPreview,
  async handle(payload, context) {
    const { deps, job } = context;
    const actor = `telegram:${payload.actor.userId}`;
    if (!deps.config.telegram.allowedUserIds.includes(payload.actor.userId)) {
      await recordAudit(deps.db, {
        actor,
        action: `bulk.${payload.action}`,
        target: 'triage',
        result: 'refused',
        details: { source: 'command', chatId: payload.chatId, reason: 'not in TELEGRAM_ALLOWED_USER_IDS' },
        idempotencyKey: `bulk-preview-refused:${payload.requestId}`,
      });
      await reply(payload, bulkRefusalText, context);
      return { refused: true };
    }
    if (!deps.glitchtip || !deps.config.glitchtip.integrationEnabled) {
      const why = !deps.glitchtip ? 'bulk actions need the GlitchTip API (GLITCHTIP_BASE_URL)' : 'GLITCHTIP_INTEGRATION_ENABLED=false';
      await reply(payload, `⚠️ ${escapeHtml(why)}.`, context);
      return { skipped: why };
    }
    const outcome = await previewBulk(
      { db: deps.db, glitchtip: deps.glitchtip, dataDir: deps.config.dataDir, log: context.log },
      {
        action: payload.action,
        query: payload.query,
        requestedBy: actor,
        via: 'telegram',
        chatId: payload.chatId,
        threadId: payload.threadId,
        maxIssues: deps.config.bulkMax,
        id: newOperationId(new Date(job.timestamp), payload.requestId),
      },
    );
    switch (outcome.kind) {
      case 'invalid':
        await reply(payload, `⚠️ Query refused: ${escapeHtml(outcome.error)}`, context);
        return { invalid: outcome.error };
      case 'empty':
        await reply(payload, `No issue matches <code>${escapeHtml(outcome.query)}</code>. Nothing to do.`, context);
        return { matched: 0 };
      case 'too-many':
        await reply(
          payload,
          `More than ${deps.config.bulkMax} issues match <code>${escapeHtml(outcome.query)}</code> (BULK_MAX). Narrow the query, or use the command line: <code>triage bulk ${payload.action} --query "…"</code>`,
          context,
        );
        return { tooMany: true };
      case 'preview': {
        const { html, keyboard } = renderBulkPreview(outcome.operation!, outcome.targets);
        await reply(payload, html, context, keyboard);
        return { operationId: outcome.operation!.id, matched: outcome.targets.length };
      }
    }
  },
});
