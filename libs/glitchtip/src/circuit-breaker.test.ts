import { describe, expect, it } from '@jest/globals';
import { createLogger } from '@triage/logger';
import { CircuitBreaker, type BreakerState } from './circuit-breaker';
import { CircuitOpenError } from './errors';

function setup(failureThreshold = 3, resetAfterMs = 1_000) {
  let now = 0;
  const changes: BreakerState[] = [];
  const lines: string[] = [];
  const logger = createLogger({ name: 'test', level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  const breaker = new CircuitBreaker({ failureThreshold, resetAfterMs }, logger, (state) => changes.push(state), () => now);
  return {
    breaker,
    changes,
    messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function attempt(breaker: CircuitBreaker, outcome: 'success' | 'failure' | 'neutral'): 'ran' | 'rejected' {
  try {
    breaker.admit();
  } catch (error) {
    if (error instanceof CircuitOpenError) return 'rejected';
    throw error;
  }
  if (outcome === 'success') breaker.recordSuccess();
  else if (outcome === 'failure') breaker.recordFailure();
  else breaker.recordNeutral();
  return 'ran';
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, rejects fast, half-opens after the reset time and closes on success', () => {
    const { breaker, changes, messages, advance } = setup(3, 1_000);
    expect([attempt(breaker, 'failure'), attempt(breaker, 'failure')]).toEqual(['ran', 'ran']);
    expect(breaker.state()).toBe('closed');
    attempt(breaker, 'failure');
    expect(breaker.state()).toBe('open');
    expect(attempt(breaker, 'success')).toBe('rejected');
    advance(999);
    expect(breaker.state()).toBe('open');
    advance(1);
    expect(breaker.state()).toBe('half-open');
    expect(attempt(breaker, 'success')).toBe('ran');
    expect(breaker.state()).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
    expect(messages()).toEqual(['glitchtip circuit breaker open', 'glitchtip circuit breaker half-open', 'glitchtip circuit breaker closed']);
  });

  it('a success between failures resets the count', () => {
    const { breaker } = setup(2);
    for (const outcome of ['failure', 'success', 'failure', 'success', 'failure'] as const) attempt(breaker, outcome);
    expect(breaker.state()).toBe('closed');
  });

  it('429 (neutral) neither counts as a failure nor resets the count', () => {
    const { breaker } = setup(2);
    attempt(breaker, 'failure');
    attempt(breaker, 'neutral');
    expect(breaker.state()).toBe('closed');
    attempt(breaker, 'failure');
    expect(breaker.state()).toBe('open');
  });

  it('half-open lets exactly one trial through and a failed trial opens it again for a full period', () => {
    const { breaker, changes, advance } = setup(1, 500);
    attempt(breaker, 'failure');
    advance(500);
    breaker.admit(); // the trial, still in flight
    expect(() => breaker.admit()).toThrow(CircuitOpenError);
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    advance(499);
    expect(attempt(breaker, 'success')).toBe('rejected');
    advance(1);
    expect(attempt(breaker, 'success')).toBe('ran');
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('says how long it stays open', () => {
    const { breaker, advance } = setup(1, 1_000);
    attempt(breaker, 'failure');
    advance(400);
    expect(() => breaker.admit()).toThrow(/another 600 ms/);
  });
});
