import { eq } from 'drizzle-orm';
import { shownMessages } from '@triage/alerts';
import { encodeVoteCallback, type InvestigationSummaryPayload } from '@triage/contracts';
import { alerts } from '@triage/db';
import { enqueueStatusEdit, sendChatReply, type ReplyOutcome } from '@triage/delivery';
import { setAlertSummary } from '@triage/investigation';
import { escapeHtml } from '@triage/telegram';
import type { HandlerContext } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

/**
 * The alert message gains the summary line (send-alert re-renders it from the alert row) and, under the latest alert
 * message of every chat and topic, a short summary with Helpful / Not helpful buttons: once per place and set of
 * findings, audited.
 */
export async function followUpInTelegram(deps: WorkerDeps, followUp: InvestigationSummaryPayload, context: HandlerContext<WorkerDeps>): Promise<Partial<Record<ReplyOutcome, number>>> {
  const [alert] = await deps.db.select({ snapshot: alerts.snapshot }).from(alerts).where(eq(alerts.issueId, followUp.issueId));
  if (!alert) return {};
  const issueUrl = typeof alert.snapshot.issueUrl === 'string' ? alert.snapshot.issueUrl : null;
  await setAlertSummary(deps.db, followUp.issueId, { investigationId: followUp.investigationId, summary: followUp.summary, url: issueUrl });
  await enqueueStatusEdit(deps, followUp.issueId, context.log);
  const html = `🔎 <b>Investigation of issue ${escapeHtml(followUp.issueId)}</b>\n${escapeHtml(followUp.summary)}\nWas this helpful?`;
  const keyboard = {
    inline_keyboard: [
      [
        { text: '👍 Helpful', callback_data: encodeVoteCallback(followUp.investigationId, 'helpful') },
        { text: '👎 Not helpful', callback_data: encodeVoteCallback(followUp.investigationId, 'not-helpful') },
      ],
    ],
  };
  const outcomes: Partial<Record<ReplyOutcome, number>> = {};
  // The latest generation of every chat and topic the issue is shown in.
  for (const message of await shownMessages(deps.db, followUp.issueId)) {
    const outcome = await sendChatReply(
      {
        chatId: message.chatId,
        threadId: message.threadId ?? undefined,
        replyTo: message.messageId ?? undefined,
        html,
        keyboard,
        actor: 'triage:investigation',
        action: 'telegram.investigation-summary',
        issueId: followUp.issueId,
        idempotencyKey: `investigation-summary:${followUp.issueId}:${followUp.findingsHash}:${message.chatId}:${message.routeThreadId}`,
      },
      context,
    );
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return outcomes;
}
