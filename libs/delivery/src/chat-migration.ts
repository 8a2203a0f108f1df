import type { Redis } from 'ioredis';
import { appKey } from '@triage/queue';

/**
 * Where a group that became a supergroup lives now. Routes and TELEGRAM_CHAT_ID keep naming the old id until someone
 * edits them; every send resolves through this first so only the first one after the migration fails.
 */
function migrationKey(prefix: string, chatId: string): string {
  return appKey(prefix, 'tg-chat-migrated', chatId);
}

export async function currentChatId(redis: Redis, prefix: string, chatId: string): Promise<string> {
  let current = chatId;
  // A chain is at most one hop in practice (group -> supergroup); the bound guards against a cycle.
  for (let hop = 0; hop < 3; hop += 1) {
    const next = await redis.get(migrationKey(prefix, current));
    if (next === null || next === current) return current;
    current = next;
  }
  return current;
}

export async function rememberMigration(redis: Redis, prefix: string, oldChatId: string, newChatId: string): Promise<void> {
  await redis.set(migrationKey(prefix, oldChatId), newChatId);
}
