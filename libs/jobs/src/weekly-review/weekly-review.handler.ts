import { eq } from 'drizzle-orm';
import { auditLog, recordAudit } from '@triage/db';
import { sendChatReply } from '@triage/delivery';
import { weeklyReviewJob } from '@triage/contracts';
import { renderResolveChart, renderReview, reviewWeeks, weeklyReview, type WeeklyReview } from '@triage/reports';
import { isTelegramApiError, type TelegramBotApi } from '@triage/telegram';
import { defineHandler, postponeJob, type HandlerContext } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

type Context = HandlerContext<WorkerDeps>;

/** Versioned: a changed REPORT_TZ updates it in place; a new schedule gets a new version. */
export const weeklyReviewSchedulerId = 'weekly-review-v1';
export const weeklyReviewCron = '0 9 * * 1';

/** A scheduler's job id ends with its scheduled time, so a retry hours later still reviews the same weeks. */
function scheduledAt(job: { id?: string; timestamp: number }): Date {
  const millis = /^repeat:.+:(\d{12,})$/.exec(job.id ?? '')?.[1];
  return new Date(millis ? Number(millis) : job.timestamp);
}

async function alreadyDone(context: Context, key: string): Promise<boolean> {
  const [row] = await context.deps.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.idempotencyKey, key));
  return row !== undefined;
}

/** The chart goes first, once per week and chat; a send that may have posted is never repeated (the text still goes). */
async function sendChartOnce(context: Context, telegram: TelegramBotApi, chatId: string, review: WeeklyReview, key: string): Promise<void> {
  const { deps, log } = context;
  if (review.resolveByWeek.length === 0 || (await alreadyDone(context, key))) return;
  let png: Buffer;
  try {
    png = await renderResolveChart(review);
  } catch (error) {
    log.error({ err: error }, 'the review chart could not be rendered; sending the text alone');
    return;
  }
  const budget = await deps.pacer.reserve(chatId);
  if (!budget.ok) await postponeJob(context, { ms: budget.waitMs, reason: budget.reason });
  const audit = { actor: 'triage', action: 'weekly-review.chart', target: 'telegram' as const, idempotencyKey: key };
  try {
    const photo = await telegram.sendPhoto({ chat_id: chatId, photo: png, filename: `triage-review-${review.weeks.at(-1)!.monday}.png`, caption: 'Time to resolve per week, control vs treatment' });
    await recordAudit(deps.db, { ...audit, result: deps.config.dryRun ? 'dry-run' : 'ok', details: { chatId, messageId: photo.message_id } });
  } catch (error) {
    if (isTelegramApiError(error, 'rate-limited')) {
      const ms = (error.retryAfterSeconds ?? 1) * 1000;
      await deps.pacer.pauseChat(chatId, ms);
      await postponeJob(context, { ms, reason: 'paused' });
    }
    log.error({ err: error }, 'the review chart was not sent; sending the text alone');
    await recordAudit(deps.db, { ...audit, result: 'error', error: error instanceof Error ? error.message : String(error), details: { chatId } });
  }
}

/** Monday 09:00 in REPORT_TZ: last week's review to OPS_CHAT_ID (else TELEGRAM_CHAT_ID), once per week and chat. */
export const weeklyReviewHandler = defineHandler<WorkerDeps, typeof weeklyReviewJob>({
  contract: weeklyReviewJob,
  concurrency: 1,
  schedules: (deps) => [{ id: weeklyReviewSchedulerId, repeat: { pattern: weeklyReviewCron, tz: deps.config.dailyReport.timeZone }, data: { weeks: 1, dryRun: false } }],
  async handle(payload, context) {
    const { deps, job, log } = context;
    const { config } = deps;
    const at = scheduledAt(job);
    const review = await weeklyReview(
      { db: deps.db, redis: deps.redis, queuePrefix: config.queuePrefix, timeZone: config.dailyReport.timeZone, holdoutPercent: config.experiment.holdoutPercent },
      { at, weeks: payload.weeks, readOnly: payload.dryRun },
    );
    const rendered = renderReview(review);
    const chatId = config.opsChatId ?? config.telegram.chatId;
    const dryRun = payload.dryRun || config.dryRun;
    if (!deps.telegram || !chatId || dryRun) {
      log.info({ review: rendered.text, dryRun }, dryRun ? 'dry run: weekly review not sent' : 'weekly review (Telegram off or no chat configured)');
      return { action: dryRun ? 'dry-run' : 'logged' };
    }
    const week = reviewWeeks(at, payload.weeks, config.dailyReport.timeZone).at(-1)!.monday;
    const key = `weekly-review:${week}:${payload.weeks}:${chatId}`;
    await sendChartOnce(context, deps.telegram, chatId, review, `${key}:chart`);
    const outcome = await sendChatReply({ chatId, html: rendered.html, actor: 'triage', action: 'weekly-review', idempotencyKey: `${key}:text` }, context);
    log.info({ week, chatId, outcome }, 'weekly review delivered');
    return { action: outcome, week };
  },
});
