import { markReplySent, markStatus, openRecoveryReply, type AlertMessageRow } from '@triage/alerts';
import { sendChatReply, sentReplyMessageId } from '@triage/delivery';
import { escapeHtml, formatOutage, type AlertView } from '@triage/telegram';
import type { SendJob, Target } from './send-job';

/**
 * A short reply under the down message: the edit alone would not notify anyone. Its own alert_messages row makes it
 * durable: a retry or a re-drive of this recovery sends it while the row is not 'sent', and never twice.
 */
export async function replyRecovered(job: SendJob, view: AlertView, target: Target, row: AlertMessageRow, messageId: number): Promise<void> {
  const replyRow = await openRecoveryReply(job.deps.db, row, job.jobId);
  if (replyRow.status === 'sent') return;
  const name = view.uptime?.monitorName ?? view.title;
  const after = view.uptime?.downForMs === undefined ? '' : ` after ${formatOutage(view.uptime.downForMs)}`;
  const idempotencyKey = `recovery:${replyRow.id}:${replyRow.openedBy ?? ''}`;
  const outcome = await sendChatReply(
    {
      chatId: target.chatId,
      threadId: row.threadId ?? undefined,
      replyTo: messageId,
      html: `✅ <b>${escapeHtml(name)}</b> recovered${escapeHtml(after)}`,
      actor: 'triage',
      action: 'send-alert.recovery',
      issueId: job.issueId,
      idempotencyKey,
    },
    job.context,
  );
  if (outcome === 'sent' || outcome === 'already-sent') {
    await markReplySent(job.deps.db, replyRow.id, (await sentReplyMessageId(job.deps.redis, job.prefix, idempotencyKey)) ?? null);
  } else if (outcome === 'failed') {
    await markStatus(job.deps.db, [replyRow.id], 'failed', 'Telegram refused the recovery reply');
  }
}
