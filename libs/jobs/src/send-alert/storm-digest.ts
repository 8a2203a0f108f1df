import { inArray } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { alerts, type Database } from '@triage/db';
import { appKey } from '@triage/queue';
import crypto from 'node:crypto';
import { buildDigestKeyboard, maxDigestIssueRows, renderDigest, type AlertView } from '@triage/telegram';
import { digestListingKey, type DigestListing } from '@triage/contracts';
import { alertViewFromSnapshot, type OutgoingMessage } from '@triage/delivery';

/**
 * Storm control. A send that finds its chat's budget spent adds its issue to the chat's waiting set (a sorted set,
 * score = when it started waiting) and is delayed. Whoever next gets a budget slot for the chat and sees MORE than
 * `digestThreshold` issues waiting spends that one message on a digest of all of them, instead of the issues queueing
 * for minutes one message each. The set is only a hint for counting and listing; which issue goes into the digest is
 * decided by claiming its alert_messages row (pending -> digesting) in Postgres, so an issue is either in the digest
 * or sent on its own, never both, and the delayed jobs of digested issues find status 'digest' and stop.
 */
export const digestThreshold = 5;

/** A waiting entry older than this belongs to a job that is gone; it stops counting (its row still decides). */
const waitingEntryTtlMs = 15 * 60_000;

/** A digested issue that alerts again after this long gets a message of its own (it is no longer part of a storm). */
export const digestQuietMs = 30 * 60_000;

function waitingKey(prefix: string, chatId: string, threadId: number | undefined): string {
  return appKey(prefix, 'send-alert', 'waiting', threadId === undefined ? chatId : `${chatId}#${threadId}`);
}

export async function markWaiting(redis: Redis, prefix: string, chatId: string, threadId: number | undefined, issueId: string): Promise<void> {
  const key = waitingKey(prefix, chatId, threadId);
  await redis.multi().zadd(key, 'NX', String(Date.now()), issueId).pexpire(key, waitingEntryTtlMs).exec();
}

export async function unmarkWaiting(redis: Redis, prefix: string, chatId: string, threadId: number | undefined, issueIds: string[]): Promise<void> {
  if (issueIds.length === 0) return;
  await redis.zrem(waitingKey(prefix, chatId, threadId), ...issueIds);
}

/** Issues waiting for the chat (topic), oldest first. */
export async function waitingIssues(redis: Redis, prefix: string, chatId: string, threadId: number | undefined): Promise<string[]> {
  const key = waitingKey(prefix, chatId, threadId);
  await redis.zremrangebyscore(key, '-inf', String(Date.now() - waitingEntryTtlMs));
  return redis.zrange(key, '0', '-1');
}

export function budgetNote(chatId: string): string {
  return chatId.startsWith('-')
    ? 'Telegram lets a bot post about 20 messages a minute to a group; these alerts are folded into one message.'
    : 'Telegram limits how fast a bot may post to one chat; these alerts are folded into one message.';
}

export interface StormDigest extends OutgoingMessage {
  listed: string[];
  /** Saved with the message id once it is out: "Mute all" and later edits read it. */
  listing: DigestListing;
  hash: string;
}

/**
 * The digest for these issues, in waiting order, with a row of buttons per listed issue while Telegram's keyboard
 * limit allows and "Mute all" for the rest; issues without an alert row (deleted meanwhile) are left out. Each line
 * says who acted on it ("✅ Resolved by @ana").
 */
export async function renderStormDigest(db: Database, chatId: string, issueIds: string[]): Promise<StormDigest> {
  const rows = await db.select().from(alerts).where(inArray(alerts.issueId, issueIds));
  const byIssue = new Map(rows.map((row) => [row.issueId, row]));
  const views: AlertView[] = [];
  for (const issueId of issueIds) {
    const row = byIssue.get(issueId);
    const view = row && alertViewFromSnapshot(row)?.view;
    if (view) views.push(view);
  }
  const options = { chatBudgetNote: budgetNote(chatId) };
  const digest = renderDigest(views, options);
  const keyboard = buildDigestKeyboard(
    views.map((view) => ({ issueId: view.issueId, label: view.shortId ?? `#${view.issueId}`, issueUrl: view.issueUrl })),
    Math.min(digest.listedCount, maxDigestIssueRows),
  );
  const hash = crypto.createHash('sha256').update(digest.html).update('\0').update(JSON.stringify(keyboard.markup ?? null)).digest('hex').slice(0, 32);
  return {
    html: digest.html,
    plainText: digest.plainText,
    keyboard: keyboard.markup,
    hash,
    listed: views.map((view) => view.issueId),
    listing: { issueIds: views.map((view) => view.issueId), rest: keyboard.rest },
    // Too long for Telegram after all (it counts differently in rare cases): shortened like an alert.
    rerender: (maxLength) => {
      const shorter = renderDigest(views, { ...options, maxLength });
      return { html: shorter.html, plainText: shorter.plainText };
    },
  };
}

const listingTtlSeconds = 30 * 24 * 3600;

export async function saveDigestListing(redis: Redis, prefix: string, chatId: string, messageId: number, listing: DigestListing): Promise<void> {
  await redis.set(digestListingKey(prefix, chatId, messageId), JSON.stringify(listing), 'EX', listingTtlSeconds);
}

export async function loadDigestListing(redis: Redis, prefix: string, chatId: string, messageId: number): Promise<DigestListing | undefined> {
  const raw = await redis.get(digestListingKey(prefix, chatId, messageId));
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as DigestListing;
  } catch {
    return undefined;
  }
}

/** After a digest failed for a reason other than a 429, the chat's issues go out one by one for this long. */
const digestPauseMs = 10 * 60_000;

function digestBlockKey(prefix: string, chatId: string, threadId: number | undefined): string {
  return appKey(prefix, 'send-alert', 'no-digest', threadId === undefined ? chatId : `${chatId}#${threadId}`);
}

export async function blockDigests(redis: Redis, prefix: string, chatId: string, threadId: number | undefined): Promise<void> {
  await redis.set(digestBlockKey(prefix, chatId, threadId), '1', 'PX', digestPauseMs);
}

export async function digestBlocked(redis: Redis, prefix: string, chatId: string, threadId: number | undefined): Promise<boolean> {
  return (await redis.exists(digestBlockKey(prefix, chatId, threadId))) === 1;
}
