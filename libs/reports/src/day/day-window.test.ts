import { describe, expect, it } from '@jest/globals';
import { addDays, dateIn, dayWindow, hoursIn, yesterdayIn } from './day-window';

describe('dayWindow', () => {
  it.each([
    { date: '2026-06-19', zone: 'UTC', start: '2026-06-19T00:00:00.000Z', end: '2026-06-20T00:00:00.000Z', hours: 24 },
    { date: '2026-06-19', zone: 'Europe/Berlin', start: '2026-06-18T22:00:00.000Z', end: '2026-06-19T22:00:00.000Z', hours: 24 },
    { date: '2026-01-15', zone: 'Europe/Berlin', start: '2026-01-14T23:00:00.000Z', end: '2026-01-15T23:00:00.000Z', hours: 24 },
    // Spring forward: 02:00 -> 03:00 local on 29 March 2026, a 23-hour day.
    { date: '2026-03-29', zone: 'Europe/Berlin', start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', hours: 23 },
    // Fall back: 03:00 -> 02:00 local on 25 October 2026, a 25-hour day.
    { date: '2026-10-25', zone: 'Europe/Berlin', start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z', hours: 25 },
    { date: '2026-03-08', zone: 'America/New_York', start: '2026-03-08T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z', hours: 23 },
    { date: '2026-11-01', zone: 'America/New_York', start: '2026-11-01T04:00:00.000Z', end: '2026-11-02T05:00:00.000Z', hours: 25 },
    // DST skips midnight: 00:00 -> 01:00 local, so the day starts at 01:00 (a 23-hour day) and the day before keeps 24 h.
    { date: '2026-09-06', zone: 'America/Santiago', start: '2026-09-06T04:00:00.000Z', end: '2026-09-07T03:00:00.000Z', hours: 23 },
    { date: '2026-09-05', zone: 'America/Santiago', start: '2026-09-05T04:00:00.000Z', end: '2026-09-06T04:00:00.000Z', hours: 24 },
    // Fall back at midnight: 00:00 -> 23:00 the day before, which gets 25 hours.
    { date: '2026-04-04', zone: 'America/Santiago', start: '2026-04-04T03:00:00.000Z', end: '2026-04-05T04:00:00.000Z', hours: 25 },
    { date: '2026-03-08', zone: 'America/Havana', start: '2026-03-08T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z', hours: 23 },
    { date: '2026-03-07', zone: 'America/Havana', start: '2026-03-07T05:00:00.000Z', end: '2026-03-08T05:00:00.000Z', hours: 24 },
    // Fall back 01:00 -> 00:00: midnight happens twice; the day starts at the first.
    { date: '2026-11-01', zone: 'America/Havana', start: '2026-11-01T04:00:00.000Z', end: '2026-11-02T05:00:00.000Z', hours: 25 },
    { date: '2026-06-19', zone: 'Asia/Kolkata', start: '2026-06-18T18:30:00.000Z', end: '2026-06-19T18:30:00.000Z', hours: 24 },
    { date: '2026-06-19', zone: 'Pacific/Kiritimati', start: '2026-06-18T10:00:00.000Z', end: '2026-06-19T10:00:00.000Z', hours: 24 },
  ])('$date in $zone spans $hours h', ({ date, zone, start, end, hours }) => {
    const window = dayWindow(date, zone);
    expect(window.start.toISOString()).toBe(start);
    expect(window.end.toISOString()).toBe(end);
    expect(hoursIn(window)).toBe(hours);
  });

  it.each(['2026-02-30', '2026-13-01', 'yesterday', '2026-6-1'])('refuses %s', (date) => {
    expect(() => dayWindow(date, 'UTC')).toThrow(/date|day/);
  });
});

describe('yesterdayIn / dateIn / addDays', () => {
  it.each([
    { at: '2026-06-19T09:00:00Z', zone: 'UTC', yesterday: '2026-06-18' },
    { at: '2026-06-19T23:30:00Z', zone: 'Europe/Berlin', yesterday: '2026-06-19' },
    { at: '2026-06-19T03:00:00Z', zone: 'America/Los_Angeles', yesterday: '2026-06-17' },
    { at: '2026-03-30T07:00:00Z', zone: 'Europe/Berlin', yesterday: '2026-03-29' },
  ])('at $at in $zone reports $yesterday', ({ at, zone, yesterday }) => {
    expect(yesterdayIn(new Date(at), zone)).toBe(yesterday);
    expect(addDays(dateIn(new Date(at), zone), -1)).toBe(yesterday);
  });

  it.each([
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
  ] as const)('%s %+d -> %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});
