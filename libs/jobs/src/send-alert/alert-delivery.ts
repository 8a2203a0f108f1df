import { UnrecoverableError } from 'bullmq';
import {
  claimSend,
  ensureLatestRow,
  forgetMessage,
  isLiveClaim,
  latestMessageRow,
  leaveDigest,
  digestRows,
  markDigestEdited,
  markEdited,
  markSent,
  markStatus,
  markSuperseded,
  openGeneration,
  previousGeneration,
  sendMayRepeat,
  topicKey,
  type AlertMessageRow,
  type MessagePlace,
} from '@triage/alerts';
import {
  alertRowDeliveryKey,
  countPossibleRepeat,
  currentChatId,
  editWithFallbacks,
  forgetDelivery,
  readDelivery,
  sendWithFallbacks,
  type AlertRow,
  type DeliveryRecord,
  type OutgoingMessage,
} from '@triage/delivery';
import { TelegramApiError, type AlertView, type RouteTarget } from '@triage/telegram';
import type { SendAlertPayload, SendAlertReason } from '@triage/contracts';
import { readCurrentAlert } from './current-alert';
import { bookkeepDigest, sendDigest } from './digest-delivery';
import { legacyUptimeReason } from './legacy-reason';
import { renderAlertMessage, renderPointer, renderPossibleRepeat, type RenderedAlertMessage } from './alert-message';
import { replyRecovered } from './recovery-reply';
import { auditWrite, recordOrWarn, sendJobOf, type SendContext, type SendJob, type Step, type Target, type TargetOutcome, type WaitReason } from './send-job';
import { digestQuietMs, digestThreshold, loadDigestListing, markWaiting, renderStormDigest, unmarkWaiting, waitingIssues } from './storm-digest';
import { writeFailed } from './write-failure';

export type { TargetOutcome } from './send-job';

/** Another job holds the send; look again shortly. */
const claimPollMs = 1_000;
/** Each pass through a target's state machine either finishes or changes state; this bounds a pathological loop. */
const maxStepsPerTarget = 8;

/** Reasons that owe people a new message, sent as a reply to the earlier one (Telegram never notifies on edits). */
const notifyingReasons: ReadonlySet<SendAlertReason> = new Set(['regression', 'realert', 'outage']);

/** Delivers one alert to its chats: the decisions of send-alert, one target at a time. */
export class AlertDelivery {
  private message: RenderedAlertMessage;
  private readonly jobCreatedAt: Date;
  private readonly jobId: string;
  private readonly job: SendJob;

  constructor(
    private readonly context: SendContext,
    private readonly payload: SendAlertPayload,
    private view: AlertView,
    /** alerts.last_transition and transition_at, for the legacy 'uptime' reason. */
    private readonly alert: Pick<AlertRow, 'lastTransition' | 'transitionAt'>,
  ) {
    this.message = renderAlertMessage(view);
    this.jobCreatedAt = new Date(context.job.timestamp);
    this.jobId = context.job.id ?? '';
    this.job = sendJobOf(context, view.issueId, payload.reason);
  }

  private get deps() {
    return this.context.deps;
  }

  private get log() {
    return this.context.log;
  }

  private get issueId(): string {
    return this.view.issueId;
  }

  private get prefix(): string {
    return this.deps.config.queuePrefix;
  }

  private get muted(): boolean {
    return this.view.status?.state === 'muted';
  }

  /** A regression, re-alert or new outage opens a new message; a running mute keeps it quiet (an edit in place). */
  private opensGeneration(reason: SendAlertReason): boolean {
    return !this.payload.edit && !this.muted && notifyingReasons.has(reason);
  }

  /** The payload's reason; the legacy 'uptime' one as the contract says (an outage after a recovery, else a repeat). */
  private async reasonAt(place: MessagePlace): Promise<SendAlertReason> {
    if (this.payload.reason !== 'uptime') return this.payload.reason;
    const latest = await latestMessageRow(this.deps.db, place);
    return legacyUptimeReason({
      down: this.view.uptime?.down === true,
      lastTransition: this.alert.lastTransition,
      transitionAt: this.alert.transitionAt,
      latestMessageAt: latest?.createdAt ?? null,
    });
  }

  async deliver(route: RouteTarget): Promise<TargetOutcome> {
    const target: Target = { chatId: await currentChatId(this.deps.redis, this.prefix, route.chatId), threadId: route.threadId };
    for (let step = 0; step < maxStepsPerTarget; step += 1) {
      const row = await this.currentRow(target);
      const outcome = await this.step(target, row);
      if (outcome !== 'again') return outcome;
    }
    throw new Error(`alert message for ${this.issueId} in ${target.chatId} kept changing state; retrying later`);
  }

  private place(target: Target): MessagePlace {
    return { issueId: this.issueId, chatId: target.chatId, routeThreadId: topicKey(target.threadId) };
  }

  private async currentRow(target: Target): Promise<AlertMessageRow> {
    const place = this.place(target);
    const reason = await this.reasonAt(place);
    if (this.opensGeneration(reason)) return openGeneration(this.deps.db, place, target.threadId, { jobId: this.jobId, reason });
    return ensureLatestRow(this.deps.db, place, target.threadId);
  }

  private async step(target: Target, row: AlertMessageRow): Promise<Step> {
    const { chatId } = target;
    if (await this.recoverRecorded(target, row)) return 'again';
    if ((row.status === 'sent' || row.status === 'superseded') && row.messageId !== null) {
      const edited = await this.edit(target, row, row.messageId);
      return edited === 'again' || !('action' in edited) ? edited : this.afterDelivered(target, row, edited);
    }
    if (row.status === 'digest') {
      // A status change (a press on the digest's buttons, a resolve elsewhere): the digest says who did what.
      if (this.payload.edit && row.messageId !== null) return this.editDigest(target, row, row.messageId);
      const quietFor = Date.now() - row.updatedAt.getTime();
      if (quietFor < digestQuietMs) return { chatId, action: 'in-digest', messageId: row.messageId ?? undefined };
      // An alert long after the storm: the issue now gets a message of its own.
      await forgetDelivery(this.deps.redis, this.prefix, alertRowDeliveryKey(row.id));
      await leaveDigest(this.deps.db, row.id);
      return 'again';
    }
    // Another job is sending (or digesting) right now, with the state it read when it started: an edit must wait for
    // that message and then edit it, or the change it carries would be lost.
    if (isLiveClaim(row.status, row.updatedAt)) return { chatId, wait: { ms: claimPollMs, reason: 'claim' } };
    if (this.payload.edit) return { chatId, action: 'nothing-to-edit' };
    if (this.muted) return { chatId, action: 'muted' };

    const mine = row.updatedAt.getTime() >= this.jobCreatedAt.getTime();
    if (row.status === 'failed' && mine) {
      return { chatId, failure: new UnrecoverableError(`Telegram refused chat ${chatId}: ${row.error ?? 'unknown reason'}`) };
    }
    // A send whose outcome is unknown (a lost answer, a worker killed mid-call): delivery over silence, marked.
    const sent = await this.send(target, row, sendMayRepeat(row.status, row.updatedAt));
    return sent === 'again' || !('action' in sent) || sent.action !== 'sent' ? sent : this.afterDelivered(target, { ...row, messageId: sent.messageId ?? null }, sent);
  }

  /**
   * Telegram answered with a message id but the bookkeeping after it did not happen (Postgres failed, the worker
   * died): the delivery record says so, and only the bookkeeping is redone. Never a second message.
   */
  private async recoverRecorded(target: Target, row: AlertMessageRow): Promise<boolean> {
    if (row.status === 'sent' || row.status === 'superseded' || row.status === 'digest') return false;
    const record = await readDelivery(this.deps.redis, this.prefix, alertRowDeliveryKey(row.id));
    if (!record) return false;
    this.log.info({ chatId: target.chatId, messageId: record.messageId, digest: record.digest ?? false }, 'message already delivered; redoing the bookkeeping only');
    if (record.digest) await bookkeepDigest(this.job, target, [row.id], [row.issueId], record);
    else await this.bookkeepSent(target, row, record, null);
    return true;
  }

  private async reserve(target: Target): Promise<{ ms: number; reason: WaitReason } | undefined> {
    const decision = await this.deps.pacer.reserve(target.chatId);
    return decision.ok ? undefined : { ms: decision.waitMs, reason: decision.reason };
  }

  private async edit(target: Target, row: AlertMessageRow, messageId: number, message: OutgoingMessage & { hash: string } = this.message): Promise<Step> {
    const { chatId } = target;
    if (row.renderedHash === message.hash) return { chatId, action: 'unchanged', messageId };
    const wait = await this.reserve(target);
    if (wait) return { chatId, wait };
    try {
      const result = await editWithFallbacks(this.deps.telegram, chatId, messageId, message, this.log);
      await markEdited(this.deps.db, row.id, message.hash);
      await auditWrite(this.job, { action: 'edit-alert', chatId, key: `edit:${this.issueId}:${chatId}:${messageId}:${message.hash}`, details: { messageId, plain: result.plain } });
      return { chatId, action: 'edited', messageId };
    } catch (error) {
      if (error instanceof TelegramApiError && error.kind === 'not-modified') {
        await markEdited(this.deps.db, row.id, message.hash);
        return { chatId, action: 'unchanged', messageId };
      }
      if (error instanceof TelegramApiError && error.kind === 'edit-target-missing') {
        this.log.info({ chatId, messageId }, 'alert message is gone; sending a new one');
        await forgetDelivery(this.deps.redis, this.prefix, alertRowDeliveryKey(row.id));
        await forgetMessage(this.deps.db, row.id);
        return 'again';
      }
      return writeFailed(this.job, error, target, 'edit-alert', [row.id]);
    }
  }

  /** Re-renders the digest the row is listed in, in its original order, and marks every row of it as showing that. */
  private async editDigest(target: Target, row: AlertMessageRow, messageId: number): Promise<Step> {
    const listing = await loadDigestListing(this.deps.redis, this.prefix, target.chatId, messageId);
    const issueIds = listing?.issueIds ?? (await digestRows(this.deps.db, target.chatId, messageId)).map((digested) => digested.issueId);
    const digest = await renderStormDigest(this.deps.db, target.chatId, issueIds);
    const edited = await this.edit(target, row, messageId, digest);
    if (edited !== 'again' && 'action' in edited) await markDigestEdited(this.deps.db, target.chatId, messageId, digest.hash);
    return edited;
  }

  /** Re-reads the alert and re-renders the message; true when the issue is muted now (nothing to send). */
  private async refreshView(): Promise<boolean> {
    const current = await readCurrentAlert(this.deps.db, this.issueId);
    if (current?.rendered) {
      this.view = current.rendered.view;
      this.message = renderAlertMessage(this.view);
    }
    return this.muted;
  }

  /** After the latest message is out or edited: the earlier one points to it, and a recovery gets its reply. */
  private async afterDelivered(target: Target, row: AlertMessageRow, outcome: Extract<TargetOutcome, { action: string }>): Promise<Step> {
    const pointed = await this.pointPreviousHere(target, row);
    if (pointed !== undefined) return pointed;
    if (this.payload.reason === 'recovery' && outcome.action !== 'sent' && row.messageId !== null) await replyRecovered(this.job, this.view, target, row, row.messageId);
    return outcome;
  }

  /** "⤵ regressed: see the newer message" on the previous generation; undefined when done (or nothing to do). */
  private async pointPreviousHere(target: Target, row: AlertMessageRow): Promise<Step | undefined> {
    const previous = await previousGeneration(this.deps.db, row);
    if (!previous || previous.status !== 'sent' || previous.messageId === null) return undefined;
    const edited = await this.edit(target, previous, previous.messageId, renderPointer(this.view, row.openedFor));
    if (edited === 'again') return undefined;
    if ('wait' in edited) return edited;
    if ('failure' in edited) this.log.warn({ chatId: target.chatId, err: edited.failure }, 'could not point the earlier message to the newer one');
    await markSuperseded(this.deps.db, previous.id);
    return undefined;
  }

  private async send(target: Target, row: AlertMessageRow, possibleRepeat: boolean): Promise<Step> {
    const { chatId, threadId } = target;
    const wait = await this.reserve(target);
    if (wait) {
      await markWaiting(this.deps.redis, this.prefix, chatId, threadId, this.issueId);
      return { chatId, wait };
    }
    if (row.generation === 1) {
      const others = (await waitingIssues(this.deps.redis, this.prefix, chatId, threadId)).filter((issueId) => issueId !== this.issueId);
      if (others.length >= digestThreshold) {
        const digest = await sendDigest(this.job, target, [this.issueId, ...others]);
        if (digest !== 'not-needed') return digest;
      }
    }
    const claimed = await claimSend(this.deps.db, row.id);
    if (!claimed) return 'again';
    // Render from the alert as it is now, not as it was when the job started: a change made in between (a runbook
    // linked, a summary, a resolve) had its edit find no message yet ("nothing-to-edit"), so this send must carry it.
    // Changes after the claim find the row 'sending' and their edits wait for this message.
    if (await this.refreshView()) {
      await markStatus(this.deps.db, [row.id], possibleRepeat ? 'unknown' : 'pending');
      return { chatId, action: 'muted' };
    }
    const message = possibleRepeat ? renderPossibleRepeat(this.view) : this.message;
    let record: DeliveryRecord;
    try {
      const result = await sendWithFallbacks(this.deps.telegram, chatId, threadId, message, this.log, row.replyToMessageId ?? undefined);
      record = { chatId, messageId: result.message.message_id, threadId: result.threadId, plain: result.plain };
    } catch (error) {
      return writeFailed(this.job, error, target, 'send-alert', [row.id]);
    }
    await recordOrWarn(this.job, [alertRowDeliveryKey(row.id)], record);
    if (possibleRepeat) {
      this.log.warn({ chatId, messageId: record.messageId }, 'alert sent again after an unknown outcome, marked as a possible repeat');
      await countPossibleRepeat(this.deps.redis, this.prefix, 'alert').catch((error: unknown) => this.log.warn({ err: error }, 'could not count a possible repeat'));
    }
    await this.bookkeepSent(target, row, record, message.hash, possibleRepeat);
    return { chatId, action: 'sent', messageId: record.messageId };
  }

  private async bookkeepSent(target: Target, row: AlertMessageRow, record: DeliveryRecord, hash: string | null, possibleRepeat = false): Promise<void> {
    await markSent(this.deps.db, row.id, record.messageId, hash, record.threadId);
    await unmarkWaiting(this.deps.redis, this.prefix, target.chatId, target.threadId, [this.issueId]);
    await auditWrite(this.job, {
      action: 'send-alert',
      chatId: target.chatId,
      key: `send:${this.issueId}:${target.chatId}:${record.messageId}`,
      details: {
        messageId: record.messageId,
        threadId: record.threadId,
        plain: record.plain ?? false,
        reason: this.payload.reason,
        generation: row.generation,
        ...(row.replyToMessageId !== null ? { replyTo: row.replyToMessageId } : {}),
        ...(possibleRepeat ? { possibleRepeat: true } : {}),
      },
    });
  }
}
