import { describe, it, expect } from '@jest/globals';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { compareGroups, sampleSizePerGroup } from './group-comparison';

/** A seeded generator (mulberry32), so the data set is fixed without being typed in. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Minutes to resolve: control around 15, treatment around 5 (the seed plan's claim), skewed like real durations. */
function durations(count: number, center: number, random: () => number): number[] {
  return Array.from({ length: count }, () => Math.round(center * (0.3 + 1.4 * random() + random() ** 3) * 10) / 10);
}

// Computed here from the textbook formulas, independently of the library the review uses.
function byHand(x: number[], y: number[]) {
  const avg = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = (values: number[]) => values.reduce((sum, value) => sum + (value - avg(values)) ** 2, 0) / (values.length - 1);
  const mid = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
  };
  const se2x = variance(x) / x.length;
  const se2y = variance(y) / y.length;
  const se = Math.sqrt(se2x + se2y);
  const df = (se2x + se2y) ** 2 / (se2x ** 2 / (x.length - 1) + se2y ** 2 / (y.length - 1));
  const difference = avg(x) - avg(y);
  const t = difference / se;
  const margin = tQuantile(0.975, df) * se;
  const pooled = Math.sqrt(((x.length - 1) * variance(x) + (y.length - 1) * variance(y)) / (x.length + y.length - 2));
  return { meanX: avg(x), meanY: avg(y), medianX: mid(x), medianY: mid(y), difference, ci: [difference - margin, difference + margin], p: 1 - tCdf(t, df), d: difference / pooled };
}

describe('compareGroups', () => {
  it('matches the textbook Welch figures on a seeded data set (to 3 digits)', () => {
    const random = seeded(20261203);
    const control = durations(40, 15, random);
    const treatment = durations(55, 5, random);
    const expected = byHand(control, treatment);
    const result = compareGroups(control, treatment);
    expect(result.control.n).toBe(40);
    expect(result.treatment.n).toBe(55);
    expect(result.control.mean).toBeCloseTo(expected.meanX, 3);
    expect(result.treatment.mean).toBeCloseTo(expected.meanY, 3);
    expect(result.control.median).toBeCloseTo(expected.medianX, 3);
    expect(result.treatment.median).toBeCloseTo(expected.medianY, 3);
    expect(result.difference).toBeCloseTo(expected.difference, 3);
    expect(result.ci95![0]).toBeCloseTo(expected.ci[0]!, 3);
    expect(result.ci95![1]).toBeCloseTo(expected.ci[1]!, 3);
    expect(result.pValue).toBeCloseTo(expected.p, 3);
    expect(result.effectSize).toBeCloseTo(expected.d, 3);
    expect(result.enough).toBe(true);
  });

  it('a small noisy difference: p near what the formulas say, and not enough data for 80 % power', () => {
    const random = seeded(7);
    const control = durations(12, 10, random);
    // Half a minute faster on a spread of several minutes: a real gain that 12 issues cannot show.
    const treatment = control.map((value) => value - 0.5).reverse();
    const expected = byHand(control, treatment);
    const result = compareGroups(control, treatment);
    expect(result.pValue).toBeCloseTo(expected.p, 3);
    expect(result.enough).toBe(false);
    expect(result.neededPerGroup).toBeGreaterThan(12);
  });

  it.each([
    [[], [1, 2, 3]],
    [[4], [1, 2, 3]],
    [[4, 5, 6], [2]],
  ])('runs no test with fewer than two per group: %j vs %j', (control, treatment) => {
    const result = compareGroups(control, treatment);
    expect(result).toMatchObject({ pValue: null, ci95: null, enough: false });
  });

  it('below five per group it is never "enough", however clear', () => {
    expect(compareGroups([30, 31, 32, 33], [1, 2, 3, 4]).enough).toBe(false);
  });

  it('needs per group what the normal approximation says: 2 (1.645 + 0.842)^2 (sd/delta)^2', () => {
    // sd 10, delta 5: 2 * 2.486^2 * 4 = 49.46 -> 50
    expect(sampleSizePerGroup(10, 5)).toBe(50);
    expect(sampleSizePerGroup(10, 0)).toBeNull();
    expect(sampleSizePerGroup(10, -3)).toBeNull();
  });
});
