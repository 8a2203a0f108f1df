import { describe, expect, it } from '@jest/globals';
import { eventsFromDailyBuckets, statsV2EventsInRange, wholeUtcDays } from './issue-day-events';

const at = (iso: string) => Date.parse(iso) / 1000;
const range = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });

describe('eventsFromDailyBuckets', () => {
  const daily: Array<[number, number]> = [
    [at('2026-06-18T00:00:00Z'), 24],
    [at('2026-06-19T00:00:00Z'), 48],
  ];
  it.each([
    { name: 'a UTC day', r: range('2026-06-19T00:00:00Z', '2026-06-20T00:00:00Z'), expected: 48 },
    { name: 'shared out for a day across two UTC days', r: range('2026-06-18T12:00:00Z', '2026-06-19T12:00:00Z'), expected: 36 },
    { name: 'nothing that day', r: range('2026-06-10T00:00:00Z', '2026-06-11T00:00:00Z'), expected: 0 },
  ])('$name', ({ r, expected }) => {
    expect(eventsFromDailyBuckets(r, daily)).toBe(expected);
  });
});

describe('statsV2EventsInRange', () => {
  const stats = {
    intervals: ['2026-03-28T22:00:00+00:00', '2026-03-28T23:00:00+00:00', '2026-03-29T21:00:00+00:00', '2026-03-29T22:00:00+00:00'],
    groups: [{ series: { 'sum(quantity)': [5, 7, null, 11] } }],
  };
  it.each([
    { name: 'Berlin spring-forward day: 23:00 to 22:00 UTC', r: range('2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z'), expected: 7 },
    { name: 'the UTC day before', r: range('2026-03-28T00:00:00Z', '2026-03-29T00:00:00Z'), expected: 12 },
    { name: 'everything', r: range('2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z'), expected: 23 },
  ])('$name', ({ r, expected }) => {
    expect(statsV2EventsInRange(stats, 'sum(quantity)', r)).toBe(expected);
  });
});

describe('wholeUtcDays', () => {
  it.each([
    { r: range('2026-06-19T00:00:00Z', '2026-06-20T00:00:00Z'), whole: true },
    { r: range('2026-06-18T22:00:00Z', '2026-06-19T22:00:00Z'), whole: false },
  ])('$r.start -> $whole', ({ r, whole }) => {
    expect(wholeUtcDays(r)).toBe(whole);
  });
});
