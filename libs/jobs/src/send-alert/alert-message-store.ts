import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import { alertMessages, type Database } from '@triage/db';

export type AlertMessageRow = typeof alertMessages.$inferSelect;

/**
 * alert_messages.status, one row per (issue, chat), the only place that decides whether a message may be sent:
 *   pending    row exists, nothing delivered (yet, or a send definitely failed)
 *   sending    one job has claimed the send and is talking to Telegram (since updated_at)
 *   sent       message_id is the alert's message; later alerts edit it
 *   unknown    a send timed out: Telegram may or may not have posted it (see claimSend)
 *   digesting  claimed by a storm digest being sent
 *   digest     listed in the digest message message_id; not sent on its own
 *   failed     the chat refuses the bot (forbidden, chat not found)
 * Every transition is one conditional UPDATE, so concurrent jobs and worker processes cannot both send.
 */
export type AlertMessageStatus = 'pending' | 'sending' | 'sent' | 'unknown' | 'digesting' | 'digest' | 'failed';

/** A claim older than this belongs to a process that died mid-call (the Bot API client times out after 15 s). */
export const staleClaimMs = 60_000;

export async function ensureMessageRow(db: Database, issueId: string, chatId: string, threadId: number | undefined): Promise<AlertMessageRow> {
  await db
    .insert(alertMessages)
    .values({ issueId, chatId, threadId: threadId ?? null, status: 'pending' })
    .onConflictDoNothing({ target: [alertMessages.issueId, alertMessages.chatId] });
  const row = await findMessageRow(db, issueId, chatId);
  if (!row) throw new Error(`alert_messages row for ${issueId} in ${chatId} vanished`);
  return row;
}

export async function findMessageRow(db: Database, issueId: string, chatId: string): Promise<AlertMessageRow | undefined> {
  const [row] = await db.select().from(alertMessages).where(and(eq(alertMessages.issueId, issueId), eq(alertMessages.chatId, chatId)));
  return row;
}

/**
 * Takes the right to send the (issue, chat) message. A row whose last send had an unknown outcome is only sent again
 * by a job created after that happened (a newer alert for the issue), never by a retry of the job that timed out:
 * a retry re-sending would post a duplicate whenever the first message did arrive.
 */
export async function claimSend(db: Database, rowId: number, jobCreatedAt: Date): Promise<AlertMessageRow | undefined> {
  const [row] = await db
    .update(alertMessages)
    .set({ status: 'sending', updatedAt: sql`now()` })
    .where(
      and(
        eq(alertMessages.id, rowId),
        sql`(${alertMessages.status} in ('pending', 'failed')
          or (${alertMessages.status} = 'unknown' and ${alertMessages.updatedAt} < ${jobCreatedAt.toISOString()}::timestamptz)
          or (${alertMessages.status} in ('sending', 'digesting') and ${alertMessages.updatedAt} < now() - make_interval(secs => ${staleClaimMs / 1000})
              and ${alertMessages.updatedAt} < ${jobCreatedAt.toISOString()}::timestamptz))`,
      ),
    )
    .returning();
  return row;
}

export function isStaleClaim(row: AlertMessageRow, now = Date.now()): boolean {
  return (row.status === 'sending' || row.status === 'digesting') && now - row.updatedAt.getTime() > staleClaimMs;
}

export async function markSent(db: Database, rowId: number, messageId: number, renderedHash: string, threadId: number | undefined): Promise<void> {
  await db
    .update(alertMessages)
    .set({ status: 'sent', messageId, renderedHash, threadId: threadId ?? null, error: null, updatedAt: sql`now()` })
    .where(eq(alertMessages.id, rowId));
}

export async function markEdited(db: Database, rowId: number, renderedHash: string): Promise<void> {
  await db.update(alertMessages).set({ renderedHash, error: null, updatedAt: sql`now()` }).where(eq(alertMessages.id, rowId));
}

export async function markStatus(db: Database, rowIds: number[], status: AlertMessageStatus, error: string | null = null): Promise<void> {
  if (rowIds.length === 0) return;
  await db.update(alertMessages).set({ status, error, updatedAt: sql`now()` }).where(inArray(alertMessages.id, rowIds));
}

/** The message to edit is gone: the next send starts from scratch. */
export async function forgetMessage(db: Database, rowId: number): Promise<void> {
  await db
    .update(alertMessages)
    .set({ status: 'pending', messageId: null, renderedHash: null, updatedAt: sql`now()` })
    .where(eq(alertMessages.id, rowId));
}

/** Claims every still-pending row of these issues in one chat for a digest. */
export async function claimForDigest(db: Database, chatId: string, issueIds: string[]): Promise<AlertMessageRow[]> {
  if (issueIds.length === 0) return [];
  return db
    .update(alertMessages)
    .set({ status: 'digesting', updatedAt: sql`now()` })
    .where(and(eq(alertMessages.chatId, chatId), inArray(alertMessages.issueId, issueIds), eq(alertMessages.status, 'pending')))
    .returning();
}

export async function markDigest(db: Database, rowIds: number[], messageId: number): Promise<void> {
  if (rowIds.length === 0) return;
  await db
    .update(alertMessages)
    .set({ status: 'digest', messageId, renderedHash: null, error: null, updatedAt: sql`now()` })
    .where(inArray(alertMessages.id, rowIds));
}

/**
 * A group became a supergroup: its rows move to the new chat id (message ids stay; an edit that then finds no message
 * sends a new one). Rows whose issue already has one in the new chat stay behind.
 */
export async function moveChat(db: Database, oldChatId: string, newChatId: string): Promise<number> {
  const other = db
    .select({ one: sql`1` })
    .from(sql`alert_messages as moved`)
    .where(sql`moved.issue_id = ${alertMessages.issueId} and moved.chat_id = ${newChatId}`);
  const moved = await db
    .update(alertMessages)
    .set({ chatId: newChatId, updatedAt: sql`now()` })
    .where(and(eq(alertMessages.chatId, oldChatId), notExists(other)))
    .returning({ id: alertMessages.id });
  return moved.length;
}
