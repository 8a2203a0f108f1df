import { describe, expect, it } from '@jest/globals';
import { backoffDelayMs, classifyStatus, parseRetryAfterMs } from './retry-policy';

describe('backoffDelayMs', () => {
  const options = { baseMs: 100, maxMs: 1_000 };
  it.each([
    // attempt, random, expected: half fixed + half scaled by random, capped at maxMs
    [0, 0, 50],
    [0, 1, 100],
    [1, 0.5, 150],
    [2, 0, 200],
    [3, 1, 800],
    [4, 1, 1_000],
    [10, 0, 500],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, options, () => random)).toBe(expected);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-06-19T12:00:00Z');
  it.each([
    ['seconds', '3', 3_000],
    ['zero', '0', 0],
    ['fractional seconds', '1.5', 1_500],
    ['an HTTP date', 'Thu, 19 Jun 2025 12:00:10 GMT', 10_000],
    ['an HTTP date in the past', 'Thu, 19 Jun 2025 11:00:00 GMT', 0],
    ['garbage', 'soon', undefined],
    ['absent', undefined, undefined],
    ['an array', ['2'], 2_000],
  ])('%s', (_name, header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, 'ok'],
    [201, 'ok'],
    [204, 'ok'],
    [301, 'client'],
    [400, 'client'],
    [401, 'client'],
    [403, 'client'],
    [404, 'client'],
    [422, 'client'],
    [429, 'rate-limited'],
    [500, 'server'],
    [502, 'server'],
    [503, 'server'],
  ])('%i is %s', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
  });
});
