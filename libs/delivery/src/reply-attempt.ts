import type { Redis } from 'ioredis';
import { appKey } from '@triage/queue';

/**
 * A reply whose request may have reached Telegram: set right before the call, cleared once the call proved it posted
 * nothing. Found again by a retry (an answer lost, a worker killed mid-call), it means the reply may already be in the
 * chat: the retry sends it anyway, marked as a possible repeat (delivery over silence).
 */
const attemptTtlSeconds = 7 * 24 * 3600;

function attemptKey(prefix: string, idempotencyKey: string): string {
  return appKey(prefix, 'reply-attempt', idempotencyKey);
}

/** Marks the attempt; true when an earlier attempt's outcome is unknown (the reply may be out already). */
export async function beginReplyAttempt(redis: Redis, prefix: string, idempotencyKey: string): Promise<boolean> {
  const earlier = await redis.set(attemptKey(prefix, idempotencyKey), String(Date.now()), 'EX', attemptTtlSeconds, 'GET');
  return earlier !== null;
}

/** The call proved nothing was posted (refused, rate-limited, never left): the next attempt is a plain one. */
export async function clearReplyAttempt(redis: Redis, prefix: string, idempotencyKey: string): Promise<void> {
  await redis.del(attemptKey(prefix, idempotencyKey));
}

export const possibleRepeatLine = '🔁 (possible repeat)';

/** The reply again, saying it may be a second copy. */
export function markPossibleRepeat(html: string): string {
  return `<i>${possibleRepeatLine}</i>\n${html}`;
}
