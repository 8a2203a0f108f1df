import type { Redis } from 'ioredis';
import { appKey } from '@triage/queue';

/**
 * The message-id-survives rule. Once Telegram has answered with a message id, that fact is written to Redis before any
 * Postgres bookkeeping (row states, audit rows). A retry after the bookkeeping failed finds the record and only redoes
 * the bookkeeping: it never sends the message a second time.
 */
export interface DeliveryRecord {
  messageId: number;
  /** Where it actually went (a vanished topic falls back to the chat itself). */
  threadId?: number;
  /** Telegram rejected the HTML and the plain-text version went out. */
  plain?: boolean;
  chatId: string;
  /** A storm digest listing the row's issue, not a message of its own. */
  digest?: boolean;
}

/** Long enough for every retry of a job (minutes) and the reconciler (hours); short enough to need no cleanup. */
const recordTtlSeconds = 7 * 24 * 3600;

function recordKey(prefix: string, key: string): string {
  return appKey(prefix, 'delivered', key);
}

/** Records one delivery under several keys at once (a digest stands for every row it lists). */
export async function recordDelivery(redis: Redis, prefix: string, keys: string[], record: DeliveryRecord): Promise<void> {
  if (keys.length === 0) return;
  const value = JSON.stringify(record);
  const batch = redis.multi();
  for (const key of keys) batch.set(recordKey(prefix, key), value, 'EX', recordTtlSeconds);
  const results = await batch.exec();
  const failed = results?.find(([error]) => error !== null);
  if (!results || failed) throw new Error(`could not record a Telegram delivery: ${failed?.[0]?.message ?? 'transaction aborted'}`);
}

export async function readDelivery(redis: Redis, prefix: string, key: string): Promise<DeliveryRecord | undefined> {
  const raw = await redis.get(recordKey(prefix, key));
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<DeliveryRecord>;
    return typeof parsed.messageId === 'number' && typeof parsed.chatId === 'string' ? (parsed as DeliveryRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** The record key of one alert_messages row (every generation is its own row). */
export function alertRowDeliveryKey(rowId: number): string {
  return `alert-message:${rowId}`;
}

/** The recorded message is gone (deleted in the chat, or the issue left a digest): the next send must really send. */
export async function forgetDelivery(redis: Redis, prefix: string, key: string): Promise<void> {
  await redis.del(recordKey(prefix, key));
}
