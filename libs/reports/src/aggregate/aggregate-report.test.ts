import { describe, expect, it } from '@jest/globals';
import { dayWindow } from '../day/day-window';
import { aggregateReport, changeOf, componentsOf, priorityOf } from './aggregate-report';
import type { IssueDayFigures, ReportInputs } from './report-types';

const window = dayWindow('2026-06-19', 'UTC');

const issue = (id: string, component: string, events: number, overrides: Partial<IssueDayFigures> = {}): IssueDayFigures => ({
  id,
  title: `Error ${id}`,
  shortId: `BACKEND-${id}`,
  link: `https://glitchtip.example.com/backend/issues/${id}`,
  component,
  status: 'unresolved',
  level: 'error',
  firstSeen: new Date('2026-06-01T00:00:00Z'),
  events,
  eventsDayBefore: 0,
  ...overrides,
});

const inputs = (overrides: Partial<ReportInputs> = {}): ReportInputs => ({
  window,
  totalEvents: undefined,
  issues: [],
  regressedIssueIds: [],
  triage: { alertsSent: 0, investigations: 0, runbooksLinked: 0, telegramActions: 0 },
  caveats: [],
  ...overrides,
});

describe('priorityOf', () => {
  it.each([
    [0, 'P3'],
    [5, 'P3'],
    [6, 'P2'],
    [10, 'P2'],
    [11, 'P1'],
    [500, 'P1'],
  ] as const)('%d events -> %s', (events, priority) => {
    expect(priorityOf(events)).toBe(priority);
  });
});

describe('changeOf', () => {
  it.each([
    { now: 30, before: 20, delta: 10, percent: 50 },
    { now: 10, before: 30, delta: -20, percent: -66.7 },
    { now: 4, before: 0, delta: 4, percent: undefined },
    { now: 0, before: 0, delta: 0, percent: undefined },
  ])('$now against $before', ({ now, before, delta, percent }) => {
    expect(changeOf(now, before)).toEqual({ now, before, delta, percent });
  });
});

describe('componentsOf', () => {
  it('sums events and issues per component, ranks by events, leaves out issues without events that day', () => {
    const components = componentsOf([issue('1', 'payments', 8), issue('2', 'payments', 4), issue('3', 'auth', 6), issue('4', 'search', 5), issue('5', 'mail', 0)]);
    expect(components).toEqual([
      { component: 'payments', events: 12, issues: 2, priority: 'P1' },
      { component: 'auth', events: 6, issues: 1, priority: 'P2' },
      { component: 'search', events: 5, issues: 1, priority: 'P3' },
    ]);
  });
});

describe('aggregateReport', () => {
  it('totals, trend, top five, new and regressed issues, unresolved P1s and quick actions', () => {
    const report = aggregateReport(
      inputs({
        totalEvents: { day: 60, dayBefore: 40 },
        issues: [
          issue('11', 'payments', 20, { eventsDayBefore: 10 }),
          issue('12', 'payments', 12, { status: 'resolved' }),
          issue('13', 'auth', 9, { firstSeen: new Date('2026-06-19T08:00:00Z') }),
          issue('14', 'auth', 7, { eventsDayBefore: 30 }),
          issue('15', 'search', 5),
          issue('16', 'search', 4),
          issue('17', 'unknown', 3),
          issue('18', 'mail', 0, { eventsDayBefore: 5 }),
        ],
        regressedIssueIds: ['16', '18'],
      }),
    );
    expect(report.events).toEqual({ now: 60, before: 40, delta: 20, percent: 50 });
    expect(report.issues).toEqual({ now: 7, before: 3, delta: 4, percent: 133.3 });
    expect(report.topIssues.map((line) => [line.id, line.events, line.priority])).toEqual([
      ['11', 20, 'P1'],
      ['12', 12, 'P1'],
      ['13', 9, 'P2'],
      ['14', 7, 'P2'],
      ['15', 5, 'P3'],
    ]);
    expect(report.components.map((component) => [component.component, component.events, component.priority])).toEqual([
      ['payments', 32, 'P1'],
      ['auth', 16, 'P1'],
      ['search', 9, 'P2'],
      ['unknown', 3, 'P3'],
    ]);
    expect(report.newIssues.map((line) => line.id)).toEqual(['13']);
    // 18 regressed but had no events in the day: not in this day's report.
    expect(report.regressedIssues.map((line) => line.id)).toEqual(['16']);
    expect(report.unresolvedP1).toBe(1);
    expect(report.quickActions).toEqual(['/investigate 11', '/errors payments 24']);
    expect(report.empty).toBe(false);
  });

  it('ties rank by id so the order is stable', () => {
    const report = aggregateReport(inputs({ issues: [issue('9', 'a', 3), issue('10', 'a', 3), issue('2', 'a', 3)] }));
    expect(report.topIssues.map((line) => line.id)).toEqual(['2', '9', '10']);
  });

  it('without stats_v2 totals, the issues sum is the total', () => {
    const report = aggregateReport(inputs({ issues: [issue('1', 'a', 3, { eventsDayBefore: 1 }), issue('2', 'b', 4)] }));
    expect(report.events).toEqual({ now: 7, before: 1, delta: 6, percent: 600 });
  });

  it('a day without errors is empty and has no quick actions', () => {
    const report = aggregateReport(inputs({ totalEvents: { day: 0, dayBefore: 12 } }));
    expect(report.empty).toBe(true);
    expect(report.quickActions).toEqual([]);
    expect(report.events.delta).toBe(-12);
  });
});
