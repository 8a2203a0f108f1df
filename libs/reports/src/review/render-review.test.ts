import { describe, it, expect } from '@jest/globals';
import { compareGroups } from './group-comparison';
import { comparisonLines, formatPValue } from './render-review';

describe('review text', () => {
  it.each([
    [0.0004, '< 0.001'],
    [0.001, '0.001'],
    [0.04949, '0.049'],
    [0.5, '0.500'],
  ])('p = %f reads %s', (p, text) => {
    expect(formatPValue(p)).toBe(text);
  });

  it('says the gain with its interval and test when there is enough data', () => {
    const control = [20, 22, 25, 18, 30, 24, 21, 27];
    const treatment = [6, 8, 5, 9, 7, 6, 10, 8];
    const lines = comparisonLines(compareGroups(control, treatment));
    expect(lines[0]).toMatch(/^ {2}control +n=8 +mean +23\.4 +median +23\.0$/);
    expect(lines[2]).toMatch(/^ {2}difference 16\.0 min faster with help \(95% CI \d+\.\d to \d+\.\d\), one-sided Welch p = < 0\.001, effect size d = \d+\.\d\d$/);
    expect(lines).toHaveLength(3);
  });

  it('says slower when help made it slower', () => {
    const lines = comparisonLines(compareGroups([5, 6, 7, 6, 5], [9, 10, 11, 10, 9]));
    expect(lines[2]).toContain('min slower with help');
  });
});
