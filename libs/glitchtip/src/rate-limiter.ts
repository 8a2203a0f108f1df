/**
 * Token bucket that hands out reservations: a caller that finds the bucket empty still takes a token (the count
 * goes negative) and is told how long to wait, so waiters are served in arrival order without a timer loop.
 */
export class TokenBucket {
  private tokens: number;
  private lastRefill: number;

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number = Math.max(1, perSecond),
    private readonly now: () => number = Date.now,
  ) {
    if (!(perSecond > 0)) throw new RangeError(`rate limit perSecond must be > 0 (got ${perSecond})`);
    if (!(capacity >= 1)) throw new RangeError(`token bucket capacity must be >= 1 (got ${capacity})`);
    this.tokens = capacity;
    this.lastRefill = now();
  }

  /** Takes one token; returns 0 when it was there, else the ms until it will be. */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.lastRefill) / 1000) * this.perSecond);
    this.lastRefill = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000);
  }
}

/** At most `limit` holders at once; the rest queue in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be an integer >= 1 (got ${limit})`);
  }

  get inUse(): number {
    return this.active;
  }

  async acquire(): Promise<() => void> {
    if (this.active < this.limit) this.active += 1;
    // The releasing holder hands its slot straight to us, so `active` is unchanged on that path.
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active -= 1;
    };
  }
}

export interface RateLimitOptions {
  /** Requests started per second, sustained (default 10). */
  perSecond: number;
  /** Requests in flight at once (default 2). */
  concurrency: number;
}

export const defaultRateLimit: RateLimitOptions = { perSecond: 10, concurrency: 2 };

/** Client-side pacing of every HTTP attempt: a concurrency slot first, then a token. */
export class RateLimiter {
  private readonly bucket: TokenBucket;
  private readonly slots: Semaphore;

  constructor(options: RateLimitOptions, private readonly sleep: (ms: number) => Promise<void> = defaultSleep) {
    this.bucket = new TokenBucket(options.perSecond);
    this.slots = new Semaphore(options.concurrency);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.slots.acquire();
    try {
      const waitMs = this.bucket.reserve();
      if (waitMs > 0) await this.sleep(waitMs);
      return await task();
    } finally {
      release();
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
