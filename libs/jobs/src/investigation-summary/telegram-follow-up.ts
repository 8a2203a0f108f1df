import { and, eq, inArray } from 'drizzle-orm';
import { encodeVoteCallback } from '@triage/contracts';
import { alertMessages, alerts } from '@triage/db';
import { enqueueStatusEdit, sendChatReply } from '@triage/delivery';
import { setAlertSummary } from '@triage/investigation';
import { escapeHtml } from '@triage/telegram';
import type { HandlerContext } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

interface FollowUp {
  investigationId: number;
  issueId: string;
  summary: string;
  findingsHash: string;
}

/**
 * The alert message gains the summary line (send-alert re-renders it from the alert row) and, under each alert
 * message, a short summary with Helpful / Not helpful buttons: once per chat and set of findings, audited.
 */
export async function followUpInTelegram(deps: WorkerDeps, followUp: FollowUp, context: HandlerContext<WorkerDeps>): Promise<void> {
  const [alert] = await deps.db.select({ snapshot: alerts.snapshot }).from(alerts).where(eq(alerts.issueId, followUp.issueId));
  if (!alert) return;
  const issueUrl = typeof alert.snapshot.issueUrl === 'string' ? alert.snapshot.issueUrl : null;
  await setAlertSummary(deps.db, followUp.issueId, { investigationId: followUp.investigationId, summary: followUp.summary, url: issueUrl });
  await enqueueStatusEdit(deps, followUp.issueId, context.log);
  const shown = await deps.db
    .select()
    .from(alertMessages)
    .where(and(eq(alertMessages.issueId, followUp.issueId), inArray(alertMessages.status, ['sent'])));
  const html = `🔎 <b>Investigation of issue ${escapeHtml(followUp.issueId)}</b>\n${escapeHtml(followUp.summary)}\nWas this helpful?`;
  const keyboard = {
    inline_keyboard: [
      [
        { text: '👍 Helpful', callback_data: encodeVoteCallback(followUp.investigationId, 'helpful') },
        { text: '👎 Not helpful', callback_data: encodeVoteCallback(followUp.investigationId, 'not-helpful') },
      ],
    ],
  };
  const latestPerChat = new Map<string, (typeof shown)[number]>();
  for (const message of shown) {
    const held = latestPerChat.get(message.chatId);
    if (!held || message.id > held.id) latestPerChat.set(message.chatId, message);
  }
  for (const message of latestPerChat.values()) {
    await sendChatReply(
      {
        chatId: message.chatId,
        threadId: message.threadId ?? undefined,
        replyTo: message.messageId ?? undefined,
        html,
        keyboard,
        actor: 'triage:investigation',
        action: 'telegram.investigation-summary',
        issueId: followUp.issueId,
        idempotencyKey: `investigation-summary:${followUp.issueId}:${followUp.findingsHash}:${message.chatId}`,
      },
      context,
    );
  }
}
