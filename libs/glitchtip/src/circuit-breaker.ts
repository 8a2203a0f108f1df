import type { Logger } from '@triage/logger';
import { CircuitOpenError } from './errors';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures (5xx, network, timeout) that open the circuit (default 5). */
  failureThreshold: number;
  /** How long the circuit stays open before one trial request is let through (default 30000 ms). */
  resetAfterMs: number;
}

export const defaultBreaker: BreakerOptions = { failureThreshold: 5, resetAfterMs: 30_000 };

/**
 * closed -> open after `failureThreshold` consecutive failures; open rejects at once; after `resetAfterMs` it is
 * half-open and lets exactly one trial request through: success closes it, failure opens it again.
 * Answers that prove the server is up (2xx, 4xx) count as successes; 429 counts as neither.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly logger: Logger,
    private readonly onChange?: (state: BreakerState) => void,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new RangeError(`breaker failureThreshold must be an integer >= 1 (got ${options.failureThreshold})`);
    }
    if (!(options.resetAfterMs >= 0)) throw new RangeError(`breaker resetAfterMs must be >= 0 (got ${options.resetAfterMs})`);
  }

  state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.resetAfterMs) this.transition('half-open');
    return this.current;
  }

  /** Call before each attempt; throws CircuitOpenError when the attempt must not be made. */
  admit(): void {
    const state = this.state();
    if (state === 'open') throw new CircuitOpenError(this.openedAt + this.options.resetAfterMs - this.now());
    if (state === 'half-open') {
      if (this.trialInFlight) throw new CircuitOpenError(0);
      this.trialInFlight = true;
    }
  }

  recordSuccess(): void {
    this.trialInFlight = false;
    this.consecutiveFailures = 0;
    if (this.current !== 'closed') this.transition('closed');
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.consecutiveFailures += 1;
    if (this.current === 'half-open' || (this.current === 'closed' && this.consecutiveFailures >= this.options.failureThreshold)) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  /** An answer that says nothing about health (429): frees a half-open trial slot without deciding. */
  recordNeutral(): void {
    this.trialInFlight = false;
  }

  private transition(next: BreakerState): void {
    const previous = this.current;
    this.current = next;
    const fields = { previous, consecutiveFailures: this.consecutiveFailures, resetAfterMs: this.options.resetAfterMs };
    if (next === 'open') this.logger.warn(fields, 'glitchtip circuit breaker open');
    else this.logger.info(fields, `glitchtip circuit breaker ${next}`);
    this.onChange?.(next);
  }
}
