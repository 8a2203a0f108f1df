import { and, eq, sql } from 'drizzle-orm';
import { UnrecoverableError } from 'bullmq';
import { alertMessages, recordAudit, type AuditEntry } from '@triage/db';
import type { Logger } from '@triage/logger';
import { TelegramApiError, type AlertView, type RouteTarget, type TelegramBotApi } from '@triage/telegram';
import type { WorkerDeps } from '../worker-deps';
import {
  claimForDigest,
  claimSend,
  ensureMessageRow,
  forgetMessage,
  isStaleClaim,
  markDigest,
  markEdited,
  markSent,
  markStatus,
  moveChat,
  type AlertMessageRow,
} from './alert-message-store';
import { renderAlertMessage, type RenderedAlertMessage } from './alert-message';
import { currentChatId, rememberMigration } from './chat-migration';
import type { SendAlertPayload } from '@triage/contracts';
import { digestQuietMs, digestThreshold, markWaiting, renderStormDigest, unmarkWaiting, waitingIssues } from './storm-digest';
import { editWithFallbacks, outcomeUnknown, sendWithFallbacks } from './telegram-writes';

export type WaitReason = 'paused' | 'chat' | 'group' | 'global' | 'claim';

export type TargetOutcome =
  | {
      chatId: string;
      action: 'sent' | 'edited' | 'unchanged' | 'digest-sent' | 'in-digest' | 'nothing-to-edit' | 'muted' | 'outcome-unknown';
      messageId?: number;
    }
  | { chatId: string; wait: { ms: number; reason: WaitReason } }
  | { chatId: string; failure: Error };

type Step = TargetOutcome | 'again';

/** Another job holds the send; look again shortly. */
const claimPollMs = 1_000;
/** Each pass through a target's state machine either finishes or changes state; this bounds a pathological loop. */
const maxStepsPerTarget = 8;

interface Target {
  chatId: string;
  threadId: number | undefined;
}

/** Delivers one alert to its chats: the decisions of send-alert, one target at a time. */
export class AlertDelivery {
  private readonly message: RenderedAlertMessage;
  private readonly jobCreatedAt: Date;

  constructor(
    private readonly deps: WorkerDeps & { telegram: TelegramBotApi },
    private readonly payload: SendAlertPayload,
    private readonly view: AlertView,
    private readonly job: { id: string; timestamp: number },
    private readonly log: Logger,
  ) {
    this.message = renderAlertMessage(view);
    this.jobCreatedAt = new Date(job.timestamp);
  }

  private get issueId(): string {
    return this.view.issueId;
  }

  private get prefix(): string {
    return this.deps.config.queuePrefix;
  }

  async deliver(route: RouteTarget): Promise<TargetOutcome> {
    const target: Target = { chatId: await currentChatId(this.deps.redis, this.prefix, route.chatId), threadId: route.threadId };
    for (let step = 0; step < maxStepsPerTarget; step += 1) {
      const row = await ensureMessageRow(this.deps.db, this.issueId, target.chatId, target.threadId);
      const outcome = await this.step(target, row);
      if (outcome !== 'again') return outcome;
    }
    throw new Error(`alert message for ${this.issueId} in ${target.chatId} kept changing state; retrying later`);
  }

  private async step(target: Target, row: AlertMessageRow): Promise<Step> {
    const { chatId } = target;
    if (row.status === 'sent' && row.messageId !== null) return this.edit(target, row, row.messageId);
    if (row.status === 'digest') {
      const quietFor = Date.now() - row.updatedAt.getTime();
      if (this.payload.reason !== 'regression' && quietFor < digestQuietMs) return { chatId, action: 'in-digest', messageId: row.messageId ?? undefined };
      // A regression, or an alert long after the storm: the issue now gets a message of its own.
      await this.deps.db
        .update(alertMessages)
        .set({ status: 'pending', messageId: null, updatedAt: sql`now()` })
        .where(and(eq(alertMessages.id, row.id), eq(alertMessages.status, 'digest')));
      return 'again';
    }
    // Another job is sending (or digesting) right now, with the state it read when it started: an edit must wait for
    // that message and then edit it, or the change it carries would be lost.
    if ((row.status === 'sending' || row.status === 'digesting') && !isStaleClaim(row)) return { chatId, wait: { ms: claimPollMs, reason: 'claim' } };
    if (this.payload.edit) return { chatId, action: 'nothing-to-edit' };
    if (this.view.status?.state === 'muted') return { chatId, action: 'muted' };

    const mine = row.updatedAt.getTime() >= this.jobCreatedAt.getTime();
    if (row.status === 'failed' && mine) {
      return { chatId, failure: new UnrecoverableError(`Telegram refused chat ${chatId}: ${row.error ?? 'unknown reason'}`) };
    }
    if ((row.status === 'unknown' || isStaleClaim(row)) && mine) {
      // This job's own earlier attempt may have posted the message: never risk a second one. The next alert for the
      // issue (a newer job) sends a fresh message, which is the "edit later" for a send whose answer was lost.
      this.log.warn({ chatId }, 'an earlier attempt may have sent this alert; not sending again');
      return { chatId, action: 'outcome-unknown' };
    }
    return this.send(target, row);
  }

  private async reserve(target: Target): Promise<{ ms: number; reason: WaitReason } | undefined> {
    const decision = await this.deps.pacer.reserve(target.chatId);
    return decision.ok ? undefined : { ms: decision.waitMs, reason: decision.reason };
  }

  private async edit(target: Target, row: AlertMessageRow, messageId: number): Promise<Step> {
    const { chatId } = target;
    if (row.renderedHash === this.message.hash) return { chatId, action: 'unchanged', messageId };
    const wait = await this.reserve(target);
    if (wait) return { chatId, wait };
    try {
      const result = await editWithFallbacks(this.deps.telegram, chatId, messageId, this.message, this.log);
      await markEdited(this.deps.db, row.id, this.message.hash);
      await this.audit({ action: 'edit-alert', chatId, key: `edit:${this.issueId}:${chatId}:${messageId}:${this.message.hash}`, details: { messageId, plain: result.plain } });
      return { chatId, action: 'edited', messageId };
    } catch (error) {
      if (error instanceof TelegramApiError && error.kind === 'not-modified') {
        await markEdited(this.deps.db, row.id, this.message.hash);
        return { chatId, action: 'unchanged', messageId };
      }
      if (error instanceof TelegramApiError && error.kind === 'edit-target-missing') {
        this.log.info({ chatId, messageId }, 'alert message is gone; sending a new one');
        await forgetMessage(this.deps.db, row.id);
        return 'again';
      }
      return this.failed(error, target, 'edit-alert', [row.id]);
    }
  }

  private async send(target: Target, row: AlertMessageRow): Promise<Step> {
    const { chatId, threadId } = target;
    const wait = await this.reserve(target);
    if (wait) {
      await markWaiting(this.deps.redis, this.prefix, chatId, threadId, this.issueId);
      return { chatId, wait };
    }
    const others = (await waitingIssues(this.deps.redis, this.prefix, chatId, threadId)).filter((issueId) => issueId !== this.issueId);
    if (others.length >= digestThreshold) {
      const digest = await this.sendDigest(target, [this.issueId, ...others]);
      if (digest !== 'not-needed') return digest;
    }
    const claimed = await claimSend(this.deps.db, row.id, this.jobCreatedAt);
    if (!claimed) return 'again';
    try {
      const result = await sendWithFallbacks(this.deps.telegram, chatId, threadId, this.message, this.log);
      const messageId = result.message.message_id;
      await markSent(this.deps.db, row.id, messageId, this.message.hash, result.threadId);
      await unmarkWaiting(this.deps.redis, this.prefix, chatId, threadId, [this.issueId]);
      await this.audit({
        action: 'send-alert',
        chatId,
        key: `send:${this.issueId}:${chatId}:${messageId}`,
        details: { messageId, threadId: result.threadId, plain: result.plain, reason: this.payload.reason },
      });
      return { chatId, action: 'sent', messageId };
    } catch (error) {
      return this.failed(error, target, 'send-alert', [row.id]);
    }
  }

  /**
   * Spends this job's budget slot on one message for every issue waiting for the chat. 'not-needed' when, once
   * claimed, too few are still pending (their own jobs got there first): the caller then sends its own alert.
   */
  private async sendDigest(target: Target, issueIds: string[]): Promise<Step | 'not-needed'> {
    const { chatId, threadId } = target;
    const claimed = await claimForDigest(this.deps.db, chatId, issueIds);
    const rowIds = claimed.map((row) => row.id);
    if (claimed.length <= digestThreshold) {
      await markStatus(this.deps.db, rowIds, 'pending');
      return 'not-needed';
    }
    const claimedIssues = issueIds.filter((issueId) => claimed.some((row) => row.issueId === issueId));
    try {
      const digest = await renderStormDigest(this.deps.db, chatId, claimedIssues);
      const result = await sendWithFallbacks(this.deps.telegram, chatId, threadId, digest, this.log);
      const messageId = result.message.message_id;
      await markDigest(this.deps.db, rowIds, messageId);
      await unmarkWaiting(this.deps.redis, this.prefix, chatId, threadId, claimedIssues);
      this.log.info({ chatId, messageId, issues: claimedIssues.length }, 'storm: waiting alerts sent as one digest');
      await this.audit({
        action: 'send-alert',
        chatId,
        key: `digest:${chatId}:${messageId}`,
        issueId: null,
        details: { digest: true, messageId, threadId: result.threadId, issueIds: claimedIssues, plain: result.plain },
      });
    } catch (error) {
      return this.failed(error, target, 'send-alert', rowIds, { digest: true, issueIds: claimedIssues });
    }
    return claimedIssues.includes(this.issueId) ? { chatId, action: 'digest-sent' } : 'again';
  }

  /** Maps a failed write to what happens next; rows this job claimed are released or marked. */
  private async failed(error: unknown, target: Target, action: 'send-alert' | 'edit-alert', rowIds: number[], details: Record<string, unknown> = {}): Promise<Step> {
    const { chatId, threadId } = target;
    const sending = action === 'send-alert';
    const release = () => (sending ? markStatus(this.deps.db, rowIds, 'pending') : Promise.resolve());
    if (!(error instanceof TelegramApiError)) {
      await release();
      throw error;
    }
    switch (error.kind) {
      case 'rate-limited': {
        const ms = (error.retryAfterSeconds ?? 1) * 1000;
        await this.deps.pacer.pauseChat(chatId, ms);
        await release();
        if (sending) await markWaiting(this.deps.redis, this.prefix, chatId, threadId, this.issueId);
        this.log.warn({ chatId, retryAfterSeconds: error.retryAfterSeconds }, 'Telegram answered 429; chat paused');
        return { chatId, wait: { ms, reason: 'paused' } };
      }
      case 'chat-migrated':
        if (error.newChatId !== undefined) {
          const newChatId = String(error.newChatId);
          await release();
          await rememberMigration(this.deps.redis, this.prefix, chatId, newChatId);
          const moved = await moveChat(this.deps.db, chatId, newChatId);
          this.log.warn({ chatId, newChatId, moved }, 'group became a supergroup; sending to the new chat id (update TELEGRAM_CHAT_ID / ROUTES_FILE)');
          target.chatId = newChatId;
          return 'again';
        }
        break;
      case 'network':
      case 'server':
        if (sending && outcomeUnknown(error)) {
          await markStatus(this.deps.db, rowIds, 'unknown', error.message);
          await this.audit({ action, chatId, key: `${action}:${this.issueId}:${chatId}:unknown:${this.job.id}`, details, error });
          this.log.warn({ chatId, err: error }, 'Telegram may or may not have posted the alert; it is not sent again (a duplicate is worse)');
          return { chatId, action: 'outcome-unknown' };
        }
        await release();
        throw error;
      case 'unauthorized':
        // A wrong token or API root: nothing to mark, the job retries with backoff until someone fixes the config.
        await release();
        throw error;
      case 'forbidden':
      case 'chat-not-found':
        await markStatus(this.deps.db, rowIds, 'failed', error.description);
        await unmarkWaiting(this.deps.redis, this.prefix, chatId, threadId, [this.issueId]);
        await this.audit({ action, chatId, key: `${action}:${this.issueId}:${chatId}:${error.kind}:${this.job.id}`, details, error });
        this.log.error(
          { chatId, kind: error.kind, description: error.description },
          'ops alert: Telegram refuses alerts for this chat (bot removed, blocked or wrong chat id); alerts for it are being lost',
        );
        return { chatId, failure: new UnrecoverableError(`Telegram refused chat ${chatId}: ${error.description}`) };
      default:
        break;
    }
    // A request Telegram will never take as it is (bad request after the fallbacks): retrying cannot help.
    await markStatus(this.deps.db, rowIds, sending ? 'failed' : 'sent', error.description);
    await unmarkWaiting(this.deps.redis, this.prefix, chatId, threadId, [this.issueId]);
    await this.audit({ action, chatId, key: `${action}:${this.issueId}:${chatId}:${error.kind}:${this.job.id}`, details, error });
    this.log.error({ chatId, kind: error.kind, description: error.description }, 'ops alert: Telegram rejected the alert message');
    return { chatId, failure: new UnrecoverableError(error.message) };
  }

  private async audit(entry: {
    action: 'send-alert' | 'edit-alert';
    chatId: string;
    key: string;
    issueId?: string | null;
    details?: Record<string, unknown>;
    error?: TelegramApiError;
  }): Promise<void> {
    const record: AuditEntry = {
      actor: 'triage',
      action: entry.action,
      target: 'telegram',
      issueId: entry.issueId === null ? undefined : (entry.issueId ?? this.issueId),
      result: entry.error ? 'error' : this.deps.config.dryRun ? 'dry-run' : 'ok',
      details: { chatId: entry.chatId, reason: this.payload.reason, ...entry.details, ...(entry.error ? { kind: entry.error.kind } : {}) },
      error: entry.error?.message,
      idempotencyKey: entry.key,
    };
    await recordAudit(this.deps.db, record);
  }
}
