import { describe, it, expect } from '@jest/globals';
import { holdoutGroupOf } from './holdout';

describe('holdoutGroupOf', () => {
  const ids = Array.from({ length: 10_000 }, (_, index) => String(100_000 + index * 7));

  it.each([0, 5, 20, 50, 100])('puts about %i%% of 10,000 ids in the control group', (percent) => {
    const control = ids.filter((id) => holdoutGroupOf(id, percent) === 'control').length;
    // Binomial: 3 standard deviations of 10,000 draws is at most 150.
    expect(Math.abs(control - percent * 100)).toBeLessThanOrEqual(150);
    if (percent === 0) expect(control).toBe(0);
    if (percent === 100) expect(control).toBe(10_000);
  });

  it('is deterministic and monotone: raising the share only moves issues into control', () => {
    for (const id of ids.slice(0, 2_000)) {
      expect(holdoutGroupOf(id, 20)).toBe(holdoutGroupOf(id, 20));
      if (holdoutGroupOf(id, 10) === 'control') expect(holdoutGroupOf(id, 20)).toBe('control');
    }
  });
});
