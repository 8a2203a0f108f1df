import { describe, expect, it } from '@jest/globals';
import { dayWindow } from '../day/day-window';
import { eventsFromHours, hourStartsIn, rangeCovered } from './hour-coverage';

const at = (iso: string) => Date.parse(iso);

describe('hourStartsIn', () => {
  it.each([
    { date: '2026-10-25', zone: 'Europe/Berlin', hours: 25 },
    { date: '2026-03-29', zone: 'Europe/Berlin', hours: 23 },
    // A half-hour zone: the hours that start inside the day.
    { date: '2026-06-19', zone: 'Asia/Kolkata', hours: 24 },
  ])('$date in $zone has $hours hour buckets', ({ date, zone, hours }) => {
    expect(hourStartsIn(dayWindow(date, zone))).toHaveLength(hours);
  });
});

describe('rangeCovered', () => {
  const fallBack = dayWindow('2026-10-25', 'Europe/Berlin'); // 2026-10-24T22:00Z .. 2026-10-25T23:00Z
  it.each([
    // The hour exactly 24 h before a read has dropped out of it: reads 24 h apart always miss one hour.
    { name: 'two daily runs at 09:00 local, 24 h apart', reads: ['2026-10-25T08:00:00Z', '2026-10-26T08:00:00Z'], covered: false },
    { name: 'two reads 23 h apart', reads: ['2026-10-25T08:00:00Z', '2026-10-26T07:00:00Z'], covered: true },
    { name: 'one read after the day ended, 25 h day', reads: ['2026-10-26T00:30:00Z'], covered: false },
    { name: 'reads every 30 minutes', reads: Array.from({ length: 60 }, (_, index) => new Date(at('2026-10-24T22:00:00Z') + index * 1_800_000).toISOString()), covered: true },
    { name: 'a gap of 26 hours between reads', reads: ['2026-10-24T23:00:00Z', '2026-10-26T01:00:00Z'], covered: false },
    { name: 'no reads', reads: [], covered: false },
  ])('$name: $covered', ({ reads, covered }) => {
    expect(rangeCovered(fallBack, reads.map(at))).toBe(covered);
  });
});

describe('eventsFromHours', () => {
  it('sums the hours that start inside the range', () => {
    const range = dayWindow('2026-03-29', 'Europe/Berlin'); // 2026-03-28T23:00Z .. 2026-03-29T22:00Z
    const hours = new Map([
      [at('2026-03-28T22:00:00Z'), 5],
      [at('2026-03-28T23:00:00Z'), 7],
      [at('2026-03-29T21:00:00Z'), 11],
      [at('2026-03-29T22:00:00Z'), 13],
    ]);
    expect(eventsFromHours(range, hours)).toBe(18);
  });
});
