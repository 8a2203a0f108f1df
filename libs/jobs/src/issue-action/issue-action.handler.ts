import { eq } from 'drizzle-orm';
import { recordMute, recordStatusChange, recordUnmute, shownMessages } from '@triage/alerts';
import { alerts, auditLog, recordAudit } from '@triage/db';
import { GlitchTipHttpError, IntegrationDisabledError, type IssueStatus } from '@triage/glitchtip';
import { escapeHtml } from '@triage/telegram';
import { safeJobId } from '@triage/queue';
import { defineHandler, type HandlerContext } from '@triage/worker-runtime';
import { enqueueStatusEdit, sendChatReply } from '@triage/delivery';
import { investigate } from '@triage/contracts';
import { recordOutcomeEvent, type HumanAction } from '@triage/outcomes';
import type { WorkerDeps } from '../worker-deps';
import { issueAction, type IssueActionPayload } from '@triage/contracts';
import { renderMuteEndedFor } from './mute-ended';

type Context = HandlerContext<WorkerDeps>;

const statusOf = { resolve: 'resolved', ignore: 'ignored', unresolve: 'unresolved' } as const;
const doneText = { resolve: '✅ Resolved', ignore: '🙈 Ignored', unresolve: '↩️ Reopened' } as const;

export const refusalText = 'You are not allowed to do this.';

function actorKey(payload: IssueActionPayload): string {
  return `telegram:${payload.actor.userId}`;
}

/** How the alert message names the person: `@username`, as the renderer expects, or the bare id without one. */
function actorName(payload: IssueActionPayload): string {
  return payload.actor.username ? `@${payload.actor.username}` : `user ${payload.actor.userId}`;
}

function isLastAttempt({ job }: Context): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

async function reply(payload: IssueActionPayload, html: string, context: Context, key = 'reply'): Promise<void> {
  await sendChatReply(
    {
      chatId: payload.chatId,
      threadId: payload.threadId,
      replyTo: payload.messageId,
      html,
      actor: actorKey(payload),
      action: `reply.issue-action.${payload.action}`,
      issueId: payload.issueId,
      idempotencyKey: `${key}:${payload.requestId}`,
    },
    context,
  );
}

/** The alert message shows the new state: send-alert re-renders it from the alert row. */
function enqueueAlertEdit(payload: IssueActionPayload, { deps, log }: Context): Promise<boolean> {
  return enqueueStatusEdit(deps, payload.issueId, log);
}

type GlitchTipOutcome = { result: 'ok' | 'dry-run' | 'skipped'; note?: string } | { result: 'gone' };

async function writeStatus(payload: IssueActionPayload, status: IssueStatus, context: Context): Promise<GlitchTipOutcome> {
  const { deps, log } = context;
  if (!deps.glitchtip) {
    log.info({ status }, 'webhook-only mode: GlitchTip not updated, Triage state changed');
    return { result: 'skipped', note: 'GlitchTip not updated: no GLITCHTIP_BASE_URL (webhook-only mode)' };
  }
  try {
    const outcome = await deps.glitchtip.updateIssueStatus(payload.issueId, status);
    return { result: outcome.dryRun ? 'dry-run' : 'ok', note: outcome.dryRun ? 'DRY_RUN: GlitchTip not updated' : undefined };
  } catch (error) {
    if (error instanceof IntegrationDisabledError) {
      log.info({ status }, 'GLITCHTIP_INTEGRATION_ENABLED=false: GlitchTip not updated, Triage state changed');
      return { result: 'skipped', note: 'GlitchTip not updated: GLITCHTIP_INTEGRATION_ENABLED=false' };
    }
    if (error instanceof GlitchTipHttpError && error.status === 404) return { result: 'gone' };
    throw error;
  }
}

async function changeStatus(payload: IssueActionPayload, action: keyof typeof statusOf, context: Context) {
  const { deps } = context;
  const status = statusOf[action];
  const audit = { actor: actorKey(payload), action: `issue.${action}`, issueId: payload.issueId, idempotencyKey: `action:${payload.requestId}` };
  let outcome: GlitchTipOutcome;
  try {
    outcome = await writeStatus(payload, status, context);
  } catch (error) {
    if (!isLastAttempt(context)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    await recordAudit(deps.db, { ...audit, target: 'glitchtip', result: 'error', error: message, details: { source: payload.source } });
    await reply(payload, `⚠️ Could not ${action} issue ${escapeHtml(payload.issueId)}: GlitchTip did not accept the change. Try again later.`, context);
    throw error;
  }
  if (outcome.result === 'gone') {
    await recordAudit(deps.db, { ...audit, target: 'glitchtip', result: 'error', error: 'issue not found in GlitchTip', details: { source: payload.source } });
    await reply(payload, `⚠️ Issue ${escapeHtml(payload.issueId)} was not found in GlitchTip.`, context);
    return { action, gone: true };
  }

  const now = new Date();
  // Resolving, ignoring or reopening ends a mute too: whatever comes next about this issue should be seen.
  const hadAlert = await recordStatusChange(deps.db, { issueId: payload.issueId, status, by: actorName(payload), at: now });
  await recordAudit(deps.db, {
    ...audit,
    target: outcome.result === 'skipped' ? 'triage' : 'glitchtip',
    result: outcome.result,
    details: { source: payload.source, status, chatId: payload.chatId, ...(outcome.note ? { note: outcome.note } : {}) },
  });
  const edited = hadAlert && (await enqueueAlertEdit(payload, context));
  if (payload.source === 'command' || (!edited && payload.source === 'button')) {
    const note = outcome.note ? `\n<i>${escapeHtml(outcome.note)}</i>` : '';
    await reply(payload, `${doneText[action]}: issue ${escapeHtml(payload.issueId)} by ${escapeHtml(actorName(payload))}${note}`, context);
  }
  return { action, status, glitchtip: outcome.result, edited };
}

async function mute(payload: IssueActionPayload, context: Context) {
  const { deps } = context;
  const hours = payload.hours!;
  // From when the user asked, not from this attempt: a retried or paced job must set the same end time as the
  // expiry job it scheduled the first time (that job's id is fixed, so a second enqueue is ignored).
  const now = new Date(context.job.timestamp);
  const until = new Date(now.getTime() + hours * 3_600_000);
  const [existing] = await deps.db.select({ id: alerts.id }).from(alerts).where(eq(alerts.issueId, payload.issueId));
  // A mute before the first alert still holds: process-alert keeps muted_until when the alert arrives and overwrites the rest.
  await recordMute(deps.db, { issueId: payload.issueId, by: actorName(payload), at: now, until });
  await recordAudit(deps.db, {
    actor: actorKey(payload),
    action: 'issue.mute',
    target: 'triage',
    issueId: payload.issueId,
    result: 'ok',
    details: { source: payload.source, hours, until: until.toISOString(), chatId: payload.chatId },
    idempotencyKey: `action:${payload.requestId}`,
  });
  await deps.producer.enqueue(
    issueAction,
    { ...payload, action: 'unmute', hours: undefined, source: 'expiry', requestId: `mute-end-${payload.requestId}` },
    { delay: Math.max(0, until.getTime() - Date.now()) },
  );
  const edited = existing !== undefined && (await enqueueAlertEdit(payload, context));
  if (payload.source === 'command' || !edited) {
    await reply(payload, `🔕 Issue ${escapeHtml(payload.issueId)} muted until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC by ${escapeHtml(actorName(payload))}`, context);
  }
  return { action: 'mute', until: until.toISOString(), edited };
}

async function unmute(payload: IssueActionPayload, context: Context) {
  const { deps, log } = context;
  const [row] = await deps.db.select().from(alerts).where(eq(alerts.issueId, payload.issueId));
  const expiry = payload.source === 'expiry';
  // A retry (e.g. after the pacer delayed the message) finds its own audit row: the mute is already lifted.
  const [already] = await deps.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.idempotencyKey, `action:${payload.requestId}`));
  // An expiry job outlived by a later, longer mute (or a manual unmute) must leave things alone.
  if (!already && expiry && (!row?.mutedUntil || row.mutedUntil.getTime() > Date.now() + 1_000)) {
    log.info({ mutedUntil: row?.mutedUntil?.toISOString() ?? null }, 'mute expiry is stale; nothing to do');
    return { action: 'unmute', skipped: 'stale expiry' };
  }
  const now = new Date();
  if (row && !already) {
    await recordUnmute(deps.db, { issueId: payload.issueId, by: expiry ? null : actorName(payload), at: now, wasMuted: row.state === 'muted' });
  }
  await recordAudit(deps.db, {
    actor: expiry ? 'triage:mute-expiry' : actorKey(payload),
    action: expiry ? 'issue.mute-ended' : 'issue.unmute',
    target: 'triage',
    issueId: payload.issueId,
    result: row ? 'ok' : 'skipped',
    details: { source: payload.source, ...(expiry ? { mutedBy: actorKey(payload) } : {}) },
    idempotencyKey: `action:${payload.requestId}`,
  });
  if (!row) {
    if (!expiry) await reply(payload, `Issue ${escapeHtml(payload.issueId)} has no alert in Triage; nothing to unmute.`, context);
    return { action: 'unmute', skipped: 'no alert' };
  }
  const edited = await enqueueAlertEdit(payload, context);
  if (expiry) {
    await announceMuteEnded(payload, row, context);
  } else if (payload.source === 'command' || !edited) {
    await reply(payload, `🔔 Issue ${escapeHtml(payload.issueId)} unmuted by ${escapeHtml(actorName(payload))}`, context);
  }
  return { action: 'unmute', expiry, edited };
}

/** "🔔 Mute ended" under each message that shows the alert, or in the chat the mute came from when there is none. */
async function announceMuteEnded(payload: IssueActionPayload, row: typeof alerts.$inferSelect, context: Context): Promise<void> {
  const html = renderMuteEndedFor(row);
  const shown = await shownMessages(context.deps.db, payload.issueId);
  const targets = shown.length > 0
    ? shown.map((message) => ({ chatId: message.chatId, threadId: message.threadId ?? undefined, replyTo: message.messageId ?? undefined, topic: message.routeThreadId }))
    : [{ chatId: payload.chatId, threadId: payload.threadId, replyTo: payload.messageId, topic: 0 }];
  for (const { topic, ...target } of targets) {
    await sendChatReply(
      {
        ...target,
        html,
        actor: 'triage:mute-expiry',
        action: 'telegram.mute-ended',
        issueId: payload.issueId,
        // One per chat and topic: two topics of one chat each show the alert, so each gets the note.
        idempotencyKey: `mute-ended:${payload.requestId}:${target.chatId}${topic === 0 ? '' : `#${topic}`}`,
      },
      context,
    );
  }
}

async function startInvestigation(payload: IssueActionPayload, context: Context) {
  const { deps } = context;
  const id = escapeHtml(payload.issueId);
  const unavailable = !deps.config.components.investigationHelper
    ? 'Investigation is turned off here (DISABLE_INVESTIGATION_HELPER).'
    : !deps.glitchtip
      ? 'Investigation needs the GlitchTip API: set GLITCHTIP_BASE_URL and GLITCHTIP_API_TOKEN.'
      : !deps.handledQueues.has(investigate.name)
        ? 'Investigation is not available yet in this version of Triage.'
        : undefined;
  const audit = { actor: actorKey(payload), action: 'issue.investigate', target: 'triage' as const, issueId: payload.issueId, idempotencyKey: `action:${payload.requestId}` };
  if (unavailable) {
    await recordAudit(deps.db, { ...audit, result: 'skipped', details: { source: payload.source, reason: unavailable } });
    await reply(payload, `🔎 Issue ${id}: ${escapeHtml(unavailable)}`, context);
    return { action: 'investigate', skipped: unavailable };
  }
  await deps.producer.enqueue(investigate, { issueId: payload.issueId, requestedBy: actorKey(payload), force: true }, { jobId: safeJobId('investigate', payload.requestId) });
  await recordAudit(deps.db, { ...audit, result: 'ok', details: { source: payload.source } });
  await reply(payload, `🔎 Investigating issue ${id}; the findings will be added to the alert and to the GlitchTip issue.`, context);
  return { action: 'investigate', enqueued: true };
}

/**
 * Outcome metrics (libs/outcomes): a person's press or command on the issue, when it happened (the job's creation, so
 * a retry records the same time). Never the scheduled end of a mute; a failure here never fails the action.
 */
async function recordOutcome(payload: IssueActionPayload, context: Context, action: HumanAction = payload.action) {
  if (payload.source === 'expiry') return undefined;
  try {
    return (await recordOutcomeEvent(context.deps.db, { type: 'action', issueId: payload.issueId, at: new Date(context.job.timestamp), action, actor: actorName(payload) })).episode;
  } catch (error) {
    context.log.warn({ err: error }, 'outcome event not recorded');
    return undefined;
  }
}

/** "I am on it": recorded on the alert episode, which the alert message then shows ("👀 Acknowledged by @ana"). */
async function acknowledge(payload: IssueActionPayload, context: Context) {
  const { deps } = context;
  const episode = await recordOutcome(payload, context);
  await recordAudit(deps.db, {
    actor: actorKey(payload),
    action: 'issue.acknowledge',
    target: 'triage',
    issueId: payload.issueId,
    result: episode ? 'ok' : 'skipped',
    details: { source: payload.source, chatId: payload.chatId, ...(episode ? { acknowledgedBy: episode.acknowledgedBy } : { reason: 'no alert episode' }) },
    idempotencyKey: `action:${payload.requestId}`,
  });
  const edited = episode !== undefined && (await enqueueAlertEdit(payload, context));
  if (payload.source === 'command' || !edited) {
    const who = escapeHtml(episode?.acknowledgedBy ?? actorName(payload));
    await reply(payload, episode ? `👀 Issue ${escapeHtml(payload.issueId)}: ${who} is on it.` : `Issue ${escapeHtml(payload.issueId)} has no open alert in Triage.`, context);
  }
  return { action: 'acknowledge', acknowledgedBy: episode?.acknowledgedBy ?? null, edited };
}

export const issueActionHandler = defineHandler<WorkerDeps, typeof issueAction>({
  contract: issueAction,
  async handle(payload, context) {
    const { deps, log } = context;
    // The bot checks too; this holds when the allowlist shrank after the press, or someone enqueued around the bot.
    // Only the end of a mute runs without a person behind it; any other action from 'expiry' is checked like a user's.
    const scheduledUnmute = payload.source === 'expiry' && payload.action === 'unmute';
    if (!scheduledUnmute && !deps.config.telegram.allowedUserIds.includes(payload.actor.userId)) {
      log.warn({ userId: payload.actor.userId, action: payload.action }, 'action refused: user not in TELEGRAM_ALLOWED_USER_IDS');
      await recordAudit(deps.db, {
        actor: actorKey(payload),
        action: `issue.${payload.action}`,
        target: 'triage',
        issueId: payload.issueId,
        result: 'refused',
        details: { source: payload.source, chatId: payload.chatId, reason: 'not in TELEGRAM_ALLOWED_USER_IDS' },
        idempotencyKey: `action:${payload.requestId}`,
      });
      if (payload.source === 'command') await reply(payload, refusalText, context);
      return { refused: true };
    }
    switch (payload.action) {
      case 'resolve':
      case 'ignore': {
        // Recorded once GlitchTip took it: the episode then closes as resolved (or ignored) from Telegram.
        const result = await changeStatus(payload, payload.action, context);
        if (!('gone' in result)) await recordOutcome(payload, context);
        return result;
      }
      case 'unresolve':
        await recordOutcome(payload, context);
        return changeStatus(payload, payload.action, context);
      case 'mute':
        await recordOutcome(payload, context);
        return mute(payload, context);
      case 'unmute':
        await recordOutcome(payload, context);
        return unmute(payload, context);
      case 'investigate':
        await recordOutcome(payload, context);
        return startInvestigation(payload, context);
      case 'acknowledge':
        return acknowledge(payload, context);
    }
  },
});
