import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { appKey } from '@triage/queue';
import type { ChatId } from './bot-api-types';

export interface PaceBudget {
  limit: number;
  windowMs: number;
}

export interface ChatPacerLimits {
  /** Sends and edits per chat: Telegram asks for about one message per second. */
  perChat: PaceBudget;
  /** Per group or supergroup (chat id starting with '-'): Telegram's 20 per minute. */
  perGroup: PaceBudget;
  /** All chats together: Telegram's ~30/s, with headroom. */
  global: PaceBudget;
}

export const defaultChatPacerLimits: ChatPacerLimits = {
  perChat: { limit: 1, windowMs: 1_000 },
  // 62 s, not 60: our reservation and Telegram's receipt are a network hop apart, and jitter on that hop must not
  // land a 21st message inside Telegram's minute.
  perGroup: { limit: 20, windowMs: 62_000 },
  global: { limit: 25, windowMs: 1_000 },
};

export type PaceDecision =
  | { ok: true }
  /** `reason` names the budget that holds the message back longest. */
  | { ok: false; waitMs: number; reason: 'paused' | 'chat' | 'group' | 'global' };

export interface ChatPacerOptions {
  redis: Redis;
  /** The queue prefix (QUEUE_PREFIX); keys go under `${prefix}:app:tg-pace:`. */
  prefix: string;
  limits?: Partial<ChatPacerLimits>;
}

// Sliding windows kept as sorted sets of send times, checked and recorded in one script so that any number of worker
// processes share each budget exactly. Time comes from the Redis server, so machines with skewed clocks agree.
const reserveScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then return {0, paused, 'paused'} end

local function wait_for(key, limit, window)
  if limit <= 0 then return 0 end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count < limit then return 0 end
  local blocking = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  return math.max(1, tonumber(blocking[2]) + window - now)
end

local chat_limit, chat_window = tonumber(ARGV[1]), tonumber(ARGV[2])
local group_limit, group_window = tonumber(ARGV[3]), tonumber(ARGV[4])
local global_limit, global_window = tonumber(ARGV[5]), tonumber(ARGV[6])
local waits = {
  {wait_for(KEYS[2], chat_limit, chat_window), 'chat'},
  {wait_for(KEYS[3], group_limit, group_window), 'group'},
  {wait_for(KEYS[4], global_limit, global_window), 'global'},
}
local longest = {0, ''}
for _, w in ipairs(waits) do
  if w[1] > longest[1] then longest = w end
end
if longest[1] > 0 then return {0, longest[1], longest[2]} end

if ARGV[8] == '1' then
  redis.call('ZADD', KEYS[2], now, ARGV[7])
  redis.call('PEXPIRE', KEYS[2], chat_window)
  if group_limit > 0 then
    redis.call('ZADD', KEYS[3], now, ARGV[7])
    redis.call('PEXPIRE', KEYS[3], group_window)
  end
  redis.call('ZADD', KEYS[4], now, ARGV[7])
  redis.call('PEXPIRE', KEYS[4], global_window)
end
return {1, 0, ''}
`;

// A pause only ever grows: a shorter retry_after reported later must not cut a longer one short.
const pauseScript = `
local remaining = redis.call('PTTL', KEYS[1])
if remaining < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
`;

/**
 * Redis-backed send budgets for Telegram, shared by every worker process: per chat, per group and global.
 *
 * reserve() never sleeps. A processor that gets { ok: false, waitMs } hands the wait to BullMQ: for a chat or group
 * wait, `job.moveToDelayed(Date.now() + waitMs, token)` and `throw new DelayedError()` (other chats keep flowing);
 * for a global wait, `worker.rateLimit(waitMs)` and `throw Worker.RateLimitError()`. Edits must reserve too: Telegram
 * counts them against the same per-chat budget.
 */
export class ChatPacer {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly limits: ChatPacerLimits;

  constructor(options: ChatPacerOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.limits = { ...defaultChatPacerLimits, ...options.limits };
  }

  /** Takes one message from every budget that applies to the chat, or says how long to wait (taking nothing). */
  reserve(chatId: ChatId): Promise<PaceDecision> {
    return this.evaluate(chatId, true);
  }

  /** What reserve() would answer now, without taking anything. */
  peek(chatId: ChatId): Promise<PaceDecision> {
    return this.evaluate(chatId, false);
  }

  /** Holds every send to the chat, from every process, for at least `ms` (Telegram's retry_after on a 429). */
  async pauseChat(chatId: ChatId, ms: number): Promise<void> {
    const duration = Math.max(1, Math.ceil(ms));
    await runScript(this.redis, pauseScript, [this.key('pause', chatId)], [String(duration)]);
  }

  /** Milliseconds left on the chat's pause; 0 when it is not paused. */
  async pausedFor(chatId: ChatId): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.key('pause', chatId)));
  }

  private async evaluate(chatId: ChatId, consume: boolean): Promise<PaceDecision> {
    const { perChat, perGroup, global } = this.limits;
    const groupLimit = isGroupChat(chatId) ? perGroup.limit : 0;
    const keys = [this.key('pause', chatId), this.key('chat', chatId), this.key('group', chatId), appKey(this.prefix, 'tg-pace', 'global')];
    const args = [perChat.limit, perChat.windowMs, groupLimit, perGroup.windowMs, global.limit, global.windowMs].map(String);
    args.push(crypto.randomUUID(), consume ? '1' : '0');
    const [ok, waitMs, reason] = (await runScript(this.redis, reserveScript, keys, args)) as [number, number, string];
    if (ok === 1) return { ok: true };
    return { ok: false, waitMs, reason: reason as 'paused' | 'chat' | 'group' | 'global' };
  }

  private key(kind: 'pause' | 'chat' | 'group', chatId: ChatId): string {
    return appKey(this.prefix, 'tg-pace', kind, String(chatId));
  }
}

/** Groups, supergroups and channels have negative ids; Telegram's per-group minute budget applies to them. */
export function isGroupChat(chatId: ChatId): boolean {
  return String(chatId).trim().startsWith('-');
}

const scriptShas = new Map<string, string>();

async function runScript(redis: Redis, script: string, keys: string[], args: string[]): Promise<unknown> {
  let sha = scriptShas.get(script);
  if (!sha) {
    sha = crypto.createHash('sha1').update(script).digest('hex');
    scriptShas.set(script, sha);
  }
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}
