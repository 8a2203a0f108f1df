import { errorReply, okReply, type BotApiReply } from './bot-api-replies';

export interface FakeUpdate {
  update_id: number;
  [type: string]: unknown;
}

/** What Telegram delivers when allowed_updates was never given (or given empty). */
const defaultUpdateTypes = new Set([
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_join_request',
]);

interface GetUpdatesRequest {
  offset: number;
  limit: number;
  timeoutMs: number;
}

interface WaitingPoll {
  request: GetUpdatesRequest;
  finish: (reply: BotApiReply) => void;
}

export function updateTypeOf(update: FakeUpdate): string | undefined {
  return Object.keys(update).find((key) => key !== 'update_id');
}

/**
 * Pending updates with getUpdates semantics: an update stays until a later call confirms it with an offset above its
 * id; a long poll waits for an update or its timeout; a second poll ends the first one with 409, as on Telegram.
 */
export class UpdateQueue {
  private pending: FakeUpdate[] = [];
  private nextUpdateId = 1;
  private allowedTypes: Set<string> = defaultUpdateTypes;
  private waiting: WaitingPoll | undefined;

  push(update: Omit<FakeUpdate, 'update_id'> & { update_id?: number }): number {
    const updateId = update.update_id ?? this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, updateId + 1);
    this.pending.push({ ...update, update_id: updateId });
    this.wake();
    return updateId;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  get pollWaiting(): boolean {
    return this.waiting !== undefined;
  }

  /** Reads getUpdates' parameters; invalid ones reply 400 like Telegram. */
  poll(params: Record<string, unknown>, onAbort: (listener: () => void) => void): Promise<BotApiReply> {
    const offset = params.offset === undefined ? 0 : Number(params.offset);
    const limit = params.limit === undefined ? 100 : Number(params.limit);
    const timeoutSeconds = params.timeout === undefined ? 0 : Number(params.timeout);
    if (!Number.isInteger(offset) || !Number.isInteger(limit) || !Number.isInteger(timeoutSeconds)) {
      return Promise.resolve(errorReply(400, 'Bad Request: offset, limit and timeout must be integers'));
    }
    if (params.allowed_updates !== undefined) {
      const allowed = typeof params.allowed_updates === 'string' ? safeJson(params.allowed_updates) : params.allowed_updates;
      if (!Array.isArray(allowed)) return Promise.resolve(errorReply(400, "Bad Request: can't parse allowed updates"));
      this.allowedTypes = allowed.length === 0 ? defaultUpdateTypes : new Set(allowed.map(String));
    }
    const request: GetUpdatesRequest = { offset, limit: Math.min(100, Math.max(1, limit)), timeoutMs: Math.max(0, timeoutSeconds) * 1000 };
    this.confirm(request.offset);

    if (this.waiting) {
      const previous = this.waiting;
      this.waiting = undefined;
      previous.finish(errorReply(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    const ready = this.deliverable(request.limit);
    if (ready.length > 0 || request.timeoutMs === 0) return Promise.resolve(okReply(ready));

    return new Promise<BotApiReply>((resolve) => {
      let done = false;
      const waiter: WaitingPoll = {
        request,
        finish: (reply) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (this.waiting === waiter) this.waiting = undefined;
          resolve(reply);
        },
      };
      const timer = setTimeout(() => waiter.finish(okReply([])), request.timeoutMs);
      this.waiting = waiter;
      onAbort(() => waiter.finish(okReply([])));
    });
  }

  /** Ends a waiting long poll with no updates (on stop). */
  releaseWaiting(): void {
    this.waiting?.finish(okReply([]));
  }

  clear(): void {
    this.pending = [];
  }

  reset(): void {
    this.releaseWaiting();
    this.pending = [];
    this.nextUpdateId = 1;
    this.allowedTypes = defaultUpdateTypes;
  }

  private confirm(offset: number): void {
    if (offset > 0) this.pending = this.pending.filter((update) => update.update_id >= offset);
    else if (offset < 0) this.pending = this.pending.slice(offset);
  }

  private deliverable(limit: number): FakeUpdate[] {
    return this.pending.filter((update) => this.allowedTypes.has(updateTypeOf(update) ?? '')).slice(0, limit);
  }

  private wake(): void {
    const waiter = this.waiting;
    if (!waiter) return;
    const ready = this.deliverable(waiter.request.limit);
    if (ready.length > 0) waiter.finish(okReply(ready));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
