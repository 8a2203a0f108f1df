import { and, eq, isNull, sql } from 'drizzle-orm';
import { dailyReportDeliveries, type Database } from '@triage/db';

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'unknown' | 'skipped';

export interface DeliveryRow {
  id: number;
  status: DeliveryStatus;
  photoMessageId: number | null;
  /** Telegram refused the chart for good: later attempts send the text alone. */
  chartRefused: boolean;
  messageId: number | null;
  /** When the current claim was taken (a busy claim is looked at again once it has gone stale). */
  claimedAt: Date | null;
}

export type Claim =
  /** resumed: a worker died holding the claim before it began sending the text, so the claim was taken over. */
  | { outcome: 'claimed'; row: DeliveryRow; resumed: boolean }
  /** The report already went out (or was skipped as empty) for this day and chat. */
  | { outcome: 'done'; row: DeliveryRow }
  /** Another worker is sending it right now. */
  | { outcome: 'busy'; row: DeliveryRow }
  /**
   * An earlier attempt stopped while sending the text: it may have gone out, so it is never sent again. justMarked:
   * this call found it so (the one caller that should raise the alarm).
   */
  | { outcome: 'unknown'; row: DeliveryRow; justMarked: boolean };

/** The day's delivery to a chat as recorded, if any (a cheap look before building the report again). */
export async function deliveryStatus(db: Database, date: string, chatId: string): Promise<DeliveryStatus | undefined> {
  const [row] = await db
    .select({ status: dailyReportDeliveries.status })
    .from(dailyReportDeliveries)
    .where(and(eq(dailyReportDeliveries.date, date), eq(dailyReportDeliveries.chatId, chatId)));
  return row?.status as DeliveryStatus | undefined;
}

/** A claim older than this was left by a worker that died mid-send. */
export const staleClaimMs = 10 * 60_000;

function rowOf(row: typeof dailyReportDeliveries.$inferSelect): DeliveryRow {
  return {
    id: row.id,
    status: row.status as DeliveryStatus,
    photoMessageId: row.photoMessageId,
    chartRefused: row.chartRefusedAt !== null,
    messageId: row.messageId,
    claimedAt: row.claimedAt,
  };
}

/**
 * The one writer of daily_report_deliveries. Claims the day's report for a chat: exactly one caller gets 'claimed'
 * however many jobs or workers try at once (a conditional update on the unique (date, chat) row).
 */
export async function claimDelivery(db: Database, date: string, chatId: string, now = new Date()): Promise<Claim> {
  await db.insert(dailyReportDeliveries).values({ date, chatId }).onConflictDoNothing();
  const [claimed] = await db
    .update(dailyReportDeliveries)
    .set({ status: 'sending', claimedAt: now, updatedAt: now })
    .where(and(eq(dailyReportDeliveries.date, date), eq(dailyReportDeliveries.chatId, chatId), eq(dailyReportDeliveries.status, 'pending')))
    .returning();
  if (claimed) return { outcome: 'claimed', row: rowOf(claimed), resumed: false };
  const [current] = await db.select().from(dailyReportDeliveries).where(and(eq(dailyReportDeliveries.date, date), eq(dailyReportDeliveries.chatId, chatId)));
  if (!current) throw new Error(`daily report delivery row for ${date} / ${chatId} vanished`);
  const row = rowOf(current);
  if (row.status === 'sent' || row.status === 'skipped') return { outcome: 'done', row };
  if (row.status === 'unknown') return { outcome: 'unknown', row, justMarked: false };
  const stale = !current.claimedAt || now.getTime() - current.claimedAt.getTime() > staleClaimMs;
  if (!stale) return { outcome: 'busy', row };
  const heldBy = current.claimedAt ? eq(dailyReportDeliveries.claimedAt, current.claimedAt) : isNull(dailyReportDeliveries.claimedAt);
  const stillSending = and(eq(dailyReportDeliveries.id, row.id), eq(dailyReportDeliveries.status, 'sending'), heldBy);
  if (!current.textSendingAt) {
    // The worker died before it began sending the text: nothing of it can have gone out, so the claim is taken over.
    const [resumed] = await db
      .update(dailyReportDeliveries)
      .set({ claimedAt: now, updatedAt: now })
      .where(and(stillSending, isNull(dailyReportDeliveries.textSendingAt)))
      .returning();
    if (resumed) return { outcome: 'claimed', row: rowOf(resumed), resumed: true };
    return claimDelivery(db, date, chatId, now);
  }
  // The text may have gone out before the worker died; a missing report is better than a second one.
  const [marked] = await db
    .update(dailyReportDeliveries)
    .set({ status: 'unknown', error: 'a worker stopped while sending', updatedAt: now })
    .where(stillSending)
    .returning();
  return marked ? { outcome: 'unknown', row: rowOf(marked), justMarked: true } : claimDelivery(db, date, chatId, now);
}

/**
 * Set right before the text is sent, while the claim is still this caller's (false: another worker took it over, so
 * this one must not send). A stale claim without it is resumed; with it, the text's outcome is unknown.
 */
export async function markTextSending(db: Database, id: number, claimedAt: Date | null): Promise<boolean> {
  const heldBy = claimedAt ? eq(dailyReportDeliveries.claimedAt, claimedAt) : isNull(dailyReportDeliveries.claimedAt);
  const marked = await db
    .update(dailyReportDeliveries)
    .set({ textSendingAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(dailyReportDeliveries.id, id), eq(dailyReportDeliveries.status, 'sending'), heldBy))
    .returning({ id: dailyReportDeliveries.id });
  return marked.length > 0;
}

export async function markPhotoSent(db: Database, id: number, photoMessageId: number): Promise<void> {
  await db.update(dailyReportDeliveries).set({ photoMessageId, updatedAt: sql`now()` }).where(and(eq(dailyReportDeliveries.id, id), eq(dailyReportDeliveries.status, 'sending')));
}

/** The chart was refused (or may have been posted): it is not tried again for this day and chat. */
export async function markChartRefused(db: Database, id: number, error: string): Promise<void> {
  await db.update(dailyReportDeliveries).set({ chartRefusedAt: sql`now()`, error, updatedAt: sql`now()` }).where(eq(dailyReportDeliveries.id, id));
}

/** Recorded first thing after Telegram answered, before any other bookkeeping. */
export async function markSent(db: Database, id: number, messageId: number): Promise<void> {
  await db.update(dailyReportDeliveries).set({ status: 'sent', messageId, error: null, updatedAt: sql`now()` }).where(eq(dailyReportDeliveries.id, id));
}

/** An empty day with REPORT_SKIP_EMPTY: nothing sent, and nothing to send on a retry. */
export async function markSkipped(db: Database, id: number): Promise<void> {
  await db.update(dailyReportDeliveries).set({ status: 'skipped', updatedAt: sql`now()` }).where(eq(dailyReportDeliveries.id, id));
}

/** Telegram surely did not post the text (refused, rate limited, unreachable): the claim is given back for a retry. */
export async function releaseClaim(db: Database, id: number, error: string): Promise<void> {
  await db
    .update(dailyReportDeliveries)
    .set({ status: 'pending', error, textSendingAt: null, updatedAt: sql`now()` })
    .where(and(eq(dailyReportDeliveries.id, id), eq(dailyReportDeliveries.status, 'sending')));
}

/** The outcome of the text send is unknown (timeout after the request went out): never send it again. */
export async function markUnknown(db: Database, id: number, error: string): Promise<void> {
  await db.update(dailyReportDeliveries).set({ status: 'unknown', error, updatedAt: sql`now()` }).where(eq(dailyReportDeliveries.id, id));
}
