import { UnrecoverableError } from 'bullmq';
import { recordAudit } from '@triage/db';
import { outcomeUnknown, readDelivery, recordDelivery, sendWithFallbacks } from '@triage/delivery';
import type { Logger } from '@triage/logger';
import { opsAlert } from '@triage/contracts';
import { claimDelivery, markChartRefused, markPhotoSent, markSent, markTextSending, markUnknown, releaseClaim, staleClaimMs, type RenderedReport } from '@triage/reports';
import { isTelegramApiError, TelegramApiError, type Message, type TelegramBotApi } from '@triage/telegram';
import type { HandlerContext } from '@triage/worker-runtime';
import { boardFailedJobsUrl, jobFailedThrottleSeconds, postponeJob } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

export type DeliveryResult =
  | { action: 'sent'; messageId: number; photoMessageId: number | undefined }
  | { action: 'already-sent' | 'outcome-unknown' | 'taken-over' };

/** Telegram surely did not post: it refused the request, or the request never left. A read timeout or 502/504 may have posted. */
function surelyNotSent(error: unknown): boolean {
  return error instanceof TelegramApiError && !outcomeUnknown(error);
}

/** The message-id-survives record (Redis, written before any Postgres bookkeeping) of one day's report in one chat. */
const deliveryKey = (date: string, chatId: string) => `daily-report:${date}:${chatId}`;

interface Target {
  deps: WorkerDeps & { telegram: TelegramBotApi };
  chatId: string;
  date: string;
  log: Logger;
}

/** The chart and the text go to one chat a second apart; a wait that short is taken here rather than rebuilding the report. */
const inlineWaitMs = 3_000;

async function waitForBudget(target: Target, context: HandlerContext<WorkerDeps>, claimId: number): Promise<void> {
  for (let tries = 0; tries < 3; tries += 1) {
    const decision = await target.deps.pacer.reserve(target.chatId);
    if (decision.ok) return;
    if (decision.reason === 'global' || decision.waitMs > inlineWaitMs || tries === 2) {
      await releaseClaim(target.deps.db, claimId, `waiting for the Telegram budget (${decision.reason})`);
      await postponeJob(context, { ms: decision.waitMs, reason: decision.reason });
    }
    await new Promise((resolve) => setTimeout(resolve, decision.waitMs));
  }
}

/** A 429 pauses the chat for every sender (the shared pacer) and gives the claim back; the job waits without spending an attempt. */
async function onRateLimit(error: unknown, target: Target, context: HandlerContext<WorkerDeps>, claimId: number): Promise<void> {
  if (!isTelegramApiError(error, 'rate-limited')) return;
  const ms = ((error).retryAfterSeconds ?? 1) * 1000;
  await target.deps.pacer.pauseChat(target.chatId, ms);
  await releaseClaim(target.deps.db, claimId, 'Telegram answered 429');
  await postponeJob(context, { ms, reason: 'paused' });
}

async function sendChart(target: Target, context: HandlerContext<WorkerDeps>, claimId: number, png: Buffer, caption: string): Promise<number | undefined> {
  await waitForBudget(target, context, claimId);
  try {
    const photo = await target.deps.telegram.sendPhoto({ chat_id: target.chatId, photo: png, filename: `triage-report-${target.date}.png`, caption });
    await markPhotoSent(target.deps.db, claimId, photo.message_id);
    return photo.message_id;
  } catch (error) {
    await onRateLimit(error, target, context, claimId);
    if (error instanceof TelegramApiError && error.retryable && surelyNotSent(error)) {
      await releaseClaim(target.deps.db, claimId, error.message);
      throw error;
    }
    // Refused for good, or perhaps posted: either way the text is what matters; it goes out alone, now and on any retry.
    target.log.error({ err: error }, 'the report chart could not be sent; sending the text alone');
    await markChartRefused(target.deps.db, claimId, error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** Plain text when Telegram cannot parse the HTML (the delivery lib's fallbacks). */
async function sendText(target: Target, rendered: RenderedReport): Promise<Message> {
  const result = await sendWithFallbacks(target.deps.telegram, target.chatId, undefined, { html: rendered.html, plainText: rendered.plainText }, target.log);
  return result.message;
}

/**
 * Sends the day's report to one chat at most once: the (date, chat) row is claimed first, the chart's and the text's
 * message ids are recorded the moment Telegram answers, and a send whose outcome is unknown is never repeated.
 */
export async function deliverReport(
  target: Target,
  context: HandlerContext<WorkerDeps>,
  rendered: RenderedReport,
  png: Buffer | undefined,
): Promise<DeliveryResult> {
  const { db, redis } = target.deps;
  const prefix = target.deps.config.queuePrefix;
  const key = deliveryKey(target.date, target.chatId);
  const recorded = await readDelivery(redis, prefix, key);
  const claim = await claimDelivery(db, target.date, target.chatId);
  if (recorded && claim.outcome !== 'done') {
    // Sent by an earlier attempt whose bookkeeping failed: finish the bookkeeping, never send again.
    await markSent(db, claim.row.id, recorded.messageId);
    await audit(target, recorded.messageId, claim.row.photoMessageId ?? undefined);
    return { action: 'already-sent' };
  }
  if (claim.outcome === 'done') return { action: 'already-sent' };
  if (claim.outcome === 'unknown') {
    target.log.warn({ chatId: target.chatId }, 'an earlier attempt may have sent this report; not sending again');
    if (claim.justMarked) await raiseOutcomeUnknown(target, 'a worker stopped while sending it');
    return { action: 'outcome-unknown' };
  }
  if (claim.outcome === 'busy') {
    // Another worker holds the claim: look again when it would be stale (it is resumed or called unknown then); the wait spends no attempt.
    const staleAt = (claim.row.claimedAt?.getTime() ?? Date.now()) + staleClaimMs + 1_000;
    target.log.info({ chatId: target.chatId, lookAgainAt: new Date(staleAt).toISOString() }, 'another job is sending this report; looking again once its claim is stale');
    return postponeJob(context, { ms: Math.max(staleAt - Date.now(), 1_000), reason: 'claim-busy' });
  }
  const claimId = claim.row.id;
  let photoMessageId = claim.row.photoMessageId ?? undefined;
  // A resumed claim's chart may have been posted by the worker that died: the text goes out alone rather than a second chart.
  const chartWanted = png && photoMessageId === undefined && !claim.row.chartRefused && !claim.resumed;
  if (png && chartWanted) photoMessageId = await sendChart(target, context, claimId, png, rendered.headline);

  await waitForBudget(target, context, claimId);
  if (!(await markTextSending(db, claimId, claim.row.claimedAt))) {
    target.log.warn({ chatId: target.chatId }, 'the claim on this report was taken over by another job; not sending');
    return { action: 'taken-over' };
  }
  let message: Message;
  try {
    message = await sendText(target, rendered);
  } catch (error) {
    await onRateLimit(error, target, context, claimId);
    if (!surelyNotSent(error)) {
      const reason = error instanceof Error ? error.message : String(error);
      await markUnknown(db, claimId, reason);
      target.log.warn({ err: error }, 'the report may or may not have gone out; not sending it again');
      await raiseOutcomeUnknown(target, reason);
      return { action: 'outcome-unknown' };
    }
    await releaseClaim(db, claimId, error instanceof Error ? error.message : String(error));
    if (error instanceof TelegramApiError && !error.retryable) throw new UnrecoverableError(`Telegram refused the report for chat ${target.chatId}: ${error.description}`);
    throw error;
  }
  await recordDelivery(redis, prefix, [key], { messageId: message.message_id, chatId: target.chatId });
  await markSent(db, claimId, message.message_id);
  await audit(target, message.message_id, photoMessageId);
  return { action: 'sent', messageId: message.message_id, photoMessageId };
}

/** Someone should look in the chat: the day's report may be missing, and Triage will not send it again. */
async function raiseOutcomeUnknown(target: Target, reason: string): Promise<void> {
  await target.deps.producer.enqueue(opsAlert, {
    throttleKey: `daily-report-unknown:${target.chatId}`,
    title: `daily report for ${target.date}: delivery outcome unknown`,
    details: `The ${target.date} report to chat ${target.chatId} may or may not have been posted (${reason}); it will not be sent again. Check the chat; \`triage report --date ${target.date}\` prints it.`.slice(0, 3000),
    link: boardFailedJobsUrl(target.deps.config.publicUrl, 'daily-report').replace('?status=failed', '?status=completed'),
    throttleSeconds: jobFailedThrottleSeconds,
    raisedAt: new Date().toISOString(),
  });
}

async function audit(target: Target, messageId: number, photoMessageId: number | undefined): Promise<void> {
  await recordAudit(target.deps.db, {
    actor: 'triage',
    action: 'daily-report',
    target: 'telegram',
    result: target.deps.config.dryRun ? 'dry-run' : 'ok',
    details: { date: target.date, chatId: target.chatId, messageId, photoMessageId: photoMessageId ?? null },
    idempotencyKey: deliveryKey(target.date, target.chatId),
  });
}
