import { describe, expect, it } from '@jest/globals';
import { eventsInRange, exactForRange, statsV2EventsInRange } from './issue-day-events';

const at = (iso: string) => Date.parse(iso) / 1000;
const range = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });

describe('eventsInRange', () => {
  const hourly: Array<[number, number]> = [
    [at('2026-06-18T22:00:00Z'), 4],
    [at('2026-06-19T00:00:00Z'), 9],
    [at('2026-06-19T23:00:00Z'), 3],
  ];
  const daily: Array<[number, number]> = [
    [at('2026-06-18T00:00:00Z'), 24],
    [at('2026-06-19T00:00:00Z'), 48],
  ];
  it.each([
    { name: 'hourly, inside the hourly window', r: range('2026-06-19T00:00:00Z', '2026-06-20T00:00:00Z'), from: '2026-06-18T12:00:00Z', expected: 12 },
    { name: 'hourly, a Berlin day (22:00 to 22:00 UTC)', r: range('2026-06-18T22:00:00Z', '2026-06-19T22:00:00Z'), from: '2026-06-18T12:00:00Z', expected: 13 },
    { name: 'daily, a UTC day', r: range('2026-06-19T00:00:00Z', '2026-06-20T00:00:00Z'), from: '2026-06-20T09:00:00Z', expected: 48 },
    { name: 'daily, shared out for a day across two UTC days', r: range('2026-06-18T12:00:00Z', '2026-06-19T12:00:00Z'), from: '2026-06-20T09:00:00Z', expected: 36 },
    { name: 'daily, nothing that day', r: range('2026-06-10T00:00:00Z', '2026-06-11T00:00:00Z'), from: '2026-06-20T09:00:00Z', expected: 0 },
  ])('$name', ({ r, from, expected }) => {
    expect(eventsInRange(r, { hourly, daily }, new Date(from))).toBe(expected);
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

describe('exactForRange', () => {
  it.each([
    { name: 'inside the hourly window', r: range('2026-06-19T00:00:00Z', '2026-06-20T00:00:00Z'), from: '2026-06-18T23:00:00Z', exact: true },
    { name: 'a whole UTC day from daily buckets', r: range('2026-06-19T00:00:00Z', '2026-06-20T00:00:00Z'), from: '2026-06-20T09:00:00Z', exact: true },
    { name: 'a Berlin day from daily buckets', r: range('2026-06-18T22:00:00Z', '2026-06-19T22:00:00Z'), from: '2026-06-20T07:00:00Z', exact: false },
  ])('$name', ({ r, from, exact }) => {
    expect(exactForRange(r, new Date(from))).toBe(exact);
  });
});
