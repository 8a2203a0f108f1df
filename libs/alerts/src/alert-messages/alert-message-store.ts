import { and, desc, eq, gt, inArray, notExists, sql } from 'drizzle-orm';
import { alertMessages, type Database } from '@triage/db';
import { staleClaimMs, type AlertMessageStatus } from './alert-message-status';

export type AlertMessageRow = typeof alertMessages.$inferSelect;

/** Where an issue's messages live: a chat and the forum topic its route names (0: none). */
export interface MessagePlace {
  issueId: string;
  chatId: string;
  routeThreadId: number;
}

export function topicKey(threadId: number | undefined): number {
  return threadId ?? 0;
}

const inPlace = (place: MessagePlace) =>
  and(eq(alertMessages.issueId, place.issueId), eq(alertMessages.chatId, place.chatId), eq(alertMessages.routeThreadId, place.routeThreadId));

/** The newest generation of the issue's message in that chat and topic. */
export async function latestMessageRow(db: Database, place: MessagePlace): Promise<AlertMessageRow | undefined> {
  const [row] = await db.select().from(alertMessages).where(inPlace(place)).orderBy(desc(alertMessages.generation)).limit(1);
  return row;
}

/** The newest generation, creating the first one (pending) when the issue has none there yet. */
export async function ensureLatestRow(db: Database, place: MessagePlace, threadId: number | undefined): Promise<AlertMessageRow> {
  const existing = await latestMessageRow(db, place);
  if (existing) return existing;
  await db
    .insert(alertMessages)
    .values({ ...place, threadId: threadId ?? null, status: 'pending', generation: 1 })
    .onConflictDoNothing();
  const row = await latestMessageRow(db, place);
  if (!row) throw new Error(`alert_messages row for ${place.issueId} in ${place.chatId} vanished`);
  return row;
}

export async function messageRowById(db: Database, rowId: number): Promise<AlertMessageRow | undefined> {
  const [row] = await db.select().from(alertMessages).where(eq(alertMessages.id, rowId));
  return row;
}

/**
 * The row a notifying alert (regression, re-alert, new outage) is sent from. A generation this job opened already is
 * reused (a retry); a latest row that never delivered anything is taken over; otherwise the next generation is opened,
 * replying to the latest one's message.
 */
export async function openGeneration(
  db: Database,
  place: MessagePlace,
  threadId: number | undefined,
  opener: { jobId: string; reason: string },
): Promise<AlertMessageRow> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const latest = await latestMessageRow(db, place);
    if (!latest) return ensureLatestRow(db, place, threadId);
    if (latest.openedBy === opener.jobId) return latest;
    if (latest.messageId === null) return latest;
    const [opened] = await db
      .insert(alertMessages)
      .values({
        ...place,
        threadId: threadId ?? null,
        status: 'pending',
        generation: latest.generation + 1,
        openedBy: opener.jobId,
        openedFor: opener.reason,
        replyToMessageId: latest.messageId,
      })
      .onConflictDoNothing()
      .returning();
    if (opened) return opened;
  }
  throw new Error(`could not open a new message generation for ${place.issueId} in ${place.chatId}`);
}

/** The generation before this one, if any. */
export async function previousGeneration(db: Database, row: AlertMessageRow): Promise<AlertMessageRow | undefined> {
  if (row.generation <= 1) return undefined;
  const [previous] = await db
    .select()
    .from(alertMessages)
    .where(and(inPlace(row), eq(alertMessages.generation, row.generation - 1)));
  return previous;
}

/**
 * Takes the right to send the row's message: from pending, failed or unknown, or from a claim whose worker died. The
 * caller read the row just before; a sender that finds 'unknown' or a stale claim marks its message a possible repeat.
 */
export async function claimSend(db: Database, rowId: number): Promise<AlertMessageRow | undefined> {
  const [row] = await db
    .update(alertMessages)
    .set({ status: 'sending', updatedAt: sql`now()` })
    .where(
      and(
        eq(alertMessages.id, rowId),
        sql`(${alertMessages.status} in ('pending', 'failed', 'unknown')
          or (${alertMessages.status} in ('sending', 'digesting') and ${alertMessages.updatedAt} < now() - make_interval(secs => ${staleClaimMs / 1000})))`,
      ),
    )
    .returning();
  return row;
}

export async function markSent(db: Database, rowId: number, messageId: number, renderedHash: string | null, threadId: number | undefined): Promise<void> {
  await db
    .update(alertMessages)
    .set({ status: 'sent', messageId, renderedHash, threadId: threadId ?? null, error: null, updatedAt: sql`now()` })
    .where(eq(alertMessages.id, rowId));
}

export async function markEdited(db: Database, rowId: number, renderedHash: string): Promise<void> {
  await db.update(alertMessages).set({ renderedHash, error: null, updatedAt: sql`now()` }).where(eq(alertMessages.id, rowId));
}

export async function markStatus(db: Database, rowIds: number[], status: Exclude<AlertMessageStatus, 'sent' | 'digest'>, error: string | null = null): Promise<void> {
  if (rowIds.length === 0) return;
  await db.update(alertMessages).set({ status, error, updatedAt: sql`now()` }).where(inArray(alertMessages.id, rowIds));
}

/** Hands rows a digest had claimed back to their own jobs, unless something else already moved them on. */
export async function releaseDigestClaim(db: Database, rowIds: number[]): Promise<void> {
  if (rowIds.length === 0) return;
  await db
    .update(alertMessages)
    .set({ status: 'pending', updatedAt: sql`now()` })
    .where(and(inArray(alertMessages.id, rowIds), eq(alertMessages.status, 'digesting')));
}

/** The message to edit is gone: the next send starts from scratch. */
export async function forgetMessage(db: Database, rowId: number): Promise<void> {
  await db
    .update(alertMessages)
    .set({ status: 'pending', messageId: null, renderedHash: null, updatedAt: sql`now()` })
    .where(eq(alertMessages.id, rowId));
}

/** A digested issue alerting again long after the storm (or regressing) gets a message of its own. */
export async function leaveDigest(db: Database, rowId: number): Promise<void> {
  await db
    .update(alertMessages)
    .set({ status: 'pending', messageId: null, updatedAt: sql`now()` })
    .where(and(eq(alertMessages.id, rowId), eq(alertMessages.status, 'digest')));
}

/** The earlier message now points to the newer one; it is no longer edited. */
export async function markSuperseded(db: Database, rowId: number): Promise<void> {
  await db.update(alertMessages).set({ status: 'superseded', updatedAt: sql`now()` }).where(eq(alertMessages.id, rowId));
}

/** Claims every still-pending row of these issues in one chat and topic for a digest. */
export async function claimForDigest(db: Database, chatId: string, routeThreadId: number, issueIds: string[]): Promise<AlertMessageRow[]> {
  if (issueIds.length === 0) return [];
  return db
    .update(alertMessages)
    .set({ status: 'digesting', updatedAt: sql`now()` })
    .where(
      and(
        eq(alertMessages.chatId, chatId),
        eq(alertMessages.routeThreadId, routeThreadId),
        inArray(alertMessages.issueId, issueIds),
        eq(alertMessages.status, 'pending'),
        // A regression or new outage replies to its earlier message on its own; only first messages fold into a digest.
        eq(alertMessages.generation, 1),
      ),
    )
    .returning();
}

export async function markDigest(db: Database, rowIds: number[], messageId: number, renderedHash: string | null = null): Promise<void> {
  if (rowIds.length === 0) return;
  await db
    .update(alertMessages)
    .set({ status: 'digest', messageId, renderedHash, error: null, updatedAt: sql`now()` })
    .where(inArray(alertMessages.id, rowIds));
}

/**
 * The digest message was edited (someone acted on one of its issues): every row it stands for shows that text now.
 * updated_at is left alone: it says when the issue was digested (a later alert after the storm gets its own message).
 */
export async function markDigestEdited(db: Database, chatId: string, messageId: number, renderedHash: string): Promise<void> {
  await db
    .update(alertMessages)
    .set({ renderedHash })
    .where(and(eq(alertMessages.chatId, chatId), eq(alertMessages.messageId, messageId), eq(alertMessages.status, 'digest')));
}

/** The latest message of every place the issue is shown in (for replies such as "mute ended"). */
export async function shownMessages(db: Database, issueId: string): Promise<AlertMessageRow[]> {
  const rows = await db
    .select()
    .from(alertMessages)
    .where(and(eq(alertMessages.issueId, issueId), eq(alertMessages.status, 'sent'), gt(alertMessages.generation, 0)))
    .orderBy(desc(alertMessages.generation));
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = `${row.chatId}#${row.routeThreadId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Rows of a digest message (to edit it after an action on one of its issues). */
export async function digestRows(db: Database, chatId: string, messageId: number): Promise<AlertMessageRow[]> {
  return db
    .select()
    .from(alertMessages)
    .where(and(eq(alertMessages.chatId, chatId), eq(alertMessages.messageId, messageId), eq(alertMessages.status, 'digest')));
}

/**
 * A group became a supergroup: its rows move to the new chat id (message ids stay; an edit that then finds no message
 * sends a new one). Rows whose place already exists in the new chat stay behind.
 */
export async function moveChat(db: Database, oldChatId: string, newChatId: string): Promise<number> {
  const other = db
    .select({ one: sql`1` })
    .from(sql`alert_messages as moved`)
    .where(
      sql`moved.issue_id = ${alertMessages.issueId} and moved.chat_id = ${newChatId} and moved.route_thread_id = ${alertMessages.routeThreadId} and moved.generation = ${alertMessages.generation}`,
    );
  const moved = await db
    .update(alertMessages)
    .set({ chatId: newChatId, updatedAt: sql`now()` })
    .where(and(eq(alertMessages.chatId, oldChatId), notExists(other)))
    .returning({ id: alertMessages.id });
  return moved.length;
}

/**
 * The "recovered after N min" reply under a down message is a delivery of its own, so a lost one can be re-driven. It
 * is not a generation: its row is keyed under the negated generation of the message it answers (one reply per down
 * message), so every newest-generation read (edits, new generations, the reconciler's newest row) passes it by.
 */
export function recoveryReplyGeneration(downGeneration: number): number {
  return -downGeneration;
}

export function isRecoveryReply(row: Pick<AlertMessageRow, 'openedFor' | 'generation'>): boolean {
  return row.openedFor === 'recovery' && row.generation < 0;
}

/**
 * The recovery reply row of a down message, opened (pending) by this job when there is none yet. One that Telegram
 * refused for good is handed to this job (a re-drive): openedBy names the job, and the reply's idempotency key with it.
 */
export async function openRecoveryReply(db: Database, down: AlertMessageRow, jobId: string): Promise<AlertMessageRow> {
  const generation = recoveryReplyGeneration(down.generation);
  const place = and(inPlace(down), eq(alertMessages.generation, generation));
  await db
    .insert(alertMessages)
    .values({
      issueId: down.issueId,
      chatId: down.chatId,
      routeThreadId: down.routeThreadId,
      threadId: down.threadId,
      status: 'pending',
      generation,
      openedBy: jobId,
      openedFor: 'recovery',
      replyToMessageId: down.messageId,
    })
    .onConflictDoNothing();
  await db
    .update(alertMessages)
    .set({ status: 'pending', openedBy: jobId, error: null, updatedAt: sql`now()` })
    .where(and(place, eq(alertMessages.status, 'failed'), sql`${alertMessages.openedBy} is distinct from ${jobId}`));
  const [row] = await db.select().from(alertMessages).where(place);
  if (!row) throw new Error(`recovery reply row for ${down.issueId} in ${down.chatId} vanished`);
  return row;
}

/** The recovery reply is in the chat (messageId null: sent long ago, its record expired). */
export async function markReplySent(db: Database, rowId: number, messageId: number | null): Promise<void> {
  await db.update(alertMessages).set({ status: 'sent', messageId, error: null, updatedAt: sql`now()` }).where(eq(alertMessages.id, rowId));
}
