import { describe, expect, it } from '@jest/globals';
import { telegramTextLength } from '@triage/telegram';
import { aggregateReport } from '../aggregate/aggregate-report';
import type { IssueDayFigures } from '../aggregate/report-types';
import { dayWindow } from '../day/day-window';
import { formatChange, renderReport } from './render-report';

const window = dayWindow('2026-06-19', 'Europe/Berlin');
const triage = { alertsSent: 1, investigations: 2, runbooksLinked: 0, telegramActions: 3 };

const issue = (id: number, overrides: Partial<IssueDayFigures> = {}): IssueDayFigures => ({
  id: String(id),
  title: `TypeError: cannot read 'x' of undefined <${id}>`,
  shortId: `BACKEND-${id}`,
  link: `https://glitchtip.example.com/backend/issues/${id}`,
  component: `component-${id % 30}`,
  status: 'unresolved',
  level: 'error',
  firstSeen: new Date('2026-06-19T08:00:00Z'),
  events: 100 - (id % 90),
  eventsDayBefore: 3,
  ...overrides,
});

describe('formatChange', () => {
  it.each([
    [{ now: 30, before: 20, delta: 10, percent: 50 }, '+10, +50% vs the day before'],
    [{ now: 10, before: 30, delta: -20, percent: -66.7 }, '−20, −66.7% vs the day before'],
    [{ now: 4, before: 0, delta: 4, percent: undefined }, '+4 vs the day before'],
    [{ now: 5, before: 5, delta: 0, percent: 0 }, '±0, ±0% vs the day before'],
  ])('%o -> %s', (change, text) => {
    expect(formatChange(change)).toBe(text);
  });
});

describe('renderReport', () => {
  it('an empty day is one line', () => {
    const report = aggregateReport({ window, totalEvents: { day: 0, dayBefore: 4 }, issues: [], regressedIssueIds: [], triage, caveats: [] });
    expect(renderReport(report).html).toBe('✅ No errors yesterday — 2026-06-19 (Europe/Berlin).');
  });

  it('escapes titles, scrubs PII, links only dotted hosts', () => {
    const report = aggregateReport({
      window,
      totalEvents: undefined,
      issues: [
        issue(1, { title: 'Error: login failed for jane.doe@example.com <script>' }),
        issue(2, { link: 'http://glitchtip:8000/backend/issues/2' }),
      ],
      regressedIssueIds: [],
      triage,
      caveats: ['figures are partial'],
    });
    const { html, plainText } = renderReport(report);
    expect(html).not.toContain('jane.doe@example.com');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://glitchtip.example.com/backend/issues/1">BACKEND-1</a>');
    expect(html).not.toContain('http://glitchtip:8000');
    expect(html).toContain('BACKEND-2 TypeError');
    expect(plainText).toContain('Triage: 1 alert sent, 2 investigations, 0 runbooks linked, 3 actions from Telegram');
    expect(plainText).toContain('figures are partial');
  });

  it('stays within Telegram\'s 4096 characters on a busy day (200 issues, 30 components, long titles)', () => {
    const issues = Array.from({ length: 200 }, (_, index) => issue(index + 1, { title: `Error: ${'very long message '.repeat(30)}` }));
    const report = aggregateReport({ window, totalEvents: { day: 20_000, dayBefore: 100 }, issues, regressedIssueIds: issues.slice(0, 50).map((entry) => entry.id), triage, caveats: [] });
    const { html } = renderReport(report);
    expect(telegramTextLength(html)).toBeLessThan(4096);
    expect(html).toContain('…and 18 more components');
    expect(html).toContain('…and 195 more');
  });
});
