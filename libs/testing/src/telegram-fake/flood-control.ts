export interface FakeRates {
  /** Sustained messages (sends and edits) per chat per second. Default 1. */
  perChatPerSecond?: number;
  /** Messages a chat may send back to back before the per-second rate applies ("short bursts"). Default 3. */
  perChatBurst?: number;
  /** Messages per group or supergroup per minute. Default 20. */
  perGroupPerMinute?: number;
  /** Messages per second across all chats. Default 30. */
  globalPerSecond?: number;
  /** Report this retry_after instead of the computed one. */
  retryAfterSeconds?: number;
  /**
   * Multiplies every window (second, minute) and flood wait so pacing tests run fast: 0.01 makes "a minute" 600 ms.
   * retry_after is still reported in Telegram seconds.
   */
  timeScale?: number;
}

export type FloodDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface ChatBudget {
  tokens: number;
  refilledAt: number;
}

/**
 * The fake's flood control: a token bucket per chat, a sliding minute per group, a sliding second globally. A chat
 * that got a 429 stays refused until its retry_after has passed, as on Telegram (FLOOD_WAIT).
 */
export class FakeFloodControl {
  private readonly perChatPerSecond: number;
  private readonly perChatBurst: number;
  private readonly perGroupPerMinute: number;
  private readonly globalPerSecond: number;
  private readonly fixedRetryAfter: number | undefined;
  private readonly secondMs: number;
  private readonly chats = new Map<number, ChatBudget>();
  private readonly groupSends = new Map<number, number[]>();
  private globalSends: number[] = [];
  private readonly floodWaitUntil = new Map<number, number>();

  constructor(rates: FakeRates = {}, private readonly now: () => number = Date.now) {
    this.perChatPerSecond = rates.perChatPerSecond ?? 1;
    this.perChatBurst = rates.perChatBurst ?? 3;
    this.perGroupPerMinute = rates.perGroupPerMinute ?? 20;
    this.globalPerSecond = rates.globalPerSecond ?? 30;
    this.fixedRetryAfter = rates.retryAfterSeconds;
    this.secondMs = 1000 * (rates.timeScale ?? 1);
  }

  /** Counts one message toward every budget, or refuses it without counting. */
  admit(chatId: number, isGroup: boolean): FloodDecision {
    const now = this.now();
    const waitUntil = this.floodWaitUntil.get(chatId);
    if (waitUntil !== undefined && waitUntil > now) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((waitUntil - now) / this.secondMs)) };

    const chat = this.refilled(chatId, now);
    const minuteMs = 60 * this.secondMs;
    const group = (this.groupSends.get(chatId) ?? []).filter((at) => at > now - minuteMs);
    this.globalSends = this.globalSends.filter((at) => at > now - this.secondMs);

    const waits: number[] = [];
    if (chat.tokens < 1) waits.push(((1 - chat.tokens) / this.perChatPerSecond) * this.secondMs);
    if (isGroup && group.length >= this.perGroupPerMinute) waits.push(group[group.length - this.perGroupPerMinute]! + minuteMs - now);
    if (this.globalSends.length >= this.globalPerSecond) waits.push(this.globalSends[this.globalSends.length - this.globalPerSecond]! + this.secondMs - now);
    if (waits.length > 0) return this.refuse(chatId, Math.max(...waits), now);

    chat.tokens -= 1;
    if (isGroup) {
      group.push(now);
      this.groupSends.set(chatId, group);
    }
    this.globalSends.push(now);
    return { ok: true };
  }

  /** A 429 the test injected: the chat is refused until its retry_after has passed, like one Telegram computed. */
  impose(chatId: number, retryAfterSeconds: number): void {
    const until = this.now() + retryAfterSeconds * this.secondMs;
    this.floodWaitUntil.set(chatId, Math.max(until, this.floodWaitUntil.get(chatId) ?? 0));
  }

  reset(): void {
    this.chats.clear();
    this.groupSends.clear();
    this.globalSends = [];
    this.floodWaitUntil.clear();
  }

  private refuse(chatId: number, waitMs: number, now: number): FloodDecision {
    const retryAfterSeconds = this.fixedRetryAfter ?? Math.max(1, Math.ceil(waitMs / this.secondMs));
    this.floodWaitUntil.set(chatId, now + retryAfterSeconds * this.secondMs);
    return { ok: false, retryAfterSeconds };
  }

  private refilled(chatId: number, now: number): ChatBudget {
    const budget = this.chats.get(chatId) ?? { tokens: this.perChatBurst, refilledAt: now };
    budget.tokens = Math.min(this.perChatBurst, budget.tokens + ((now - budget.refilledAt) / this.secondMs) * this.perChatPerSecond);
    budget.refilledAt = now;
    this.chats.set(chatId, budget);
    return budget;
  }
}
