import { describe, expect, it } from '@jest/globals';
import { judgeAlertRules, type AlertRule, type IssueActivity, type RuleVerdict } from './alert-rules';

const now = Date.parse('2026-11-27T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const hourOf = (minutes: number) => Math.floor((now - minutes * 60_000) / 3_600_000) * 3600;
const since = now - 15 * 60_000;
const tenInFive: AlertRule = { quantity: 10, timespanMinutes: 5 };
const anyEvent: AlertRule = { quantity: 1, timespanMinutes: 1 };

describe('judgeAlertRules', () => {
  it.each<[string, AlertRule[], IssueActivity, RuleVerdict]>([
    ['no rule: GlitchTip sends nothing', [], { count: 50, firstSeen: minutesAgo(3), lastSeen: minutesAgo(1) }, 'no-rule'],
    ['rules without quantity or timespan are not evaluated', [{ quantity: null, timespanMinutes: 5 }, { quantity: 3, timespanMinutes: null }], { count: 50, firstSeen: minutesAgo(3), lastSeen: minutesAgo(1) }, 'no-rule'],
    ['1 event in 1 minute: a new issue fires', [anyEvent], { count: 1, firstSeen: minutesAgo(2), lastSeen: minutesAgo(2) }, 'fired'],
    ['10 in 5 minutes: 2 events never fire it', [tenInFive], { count: 2, firstSeen: minutesAgo(4), lastSeen: minutesAgo(1) }, 'not-fired'],
    ['10 in 5 minutes: 12 events within 4 minutes fire it', [tenInFive], { count: 12, firstSeen: minutesAgo(5), lastSeen: minutesAgo(1) }, 'fired'],
    [
      '10 in 5 minutes: 12 events over two days, 1 in the recent hours, did not fire lately',
      [tenInFive],
      { count: 12, firstSeen: minutesAgo(2 * 24 * 60), lastSeen: minutesAgo(1), hourly: [[hourOf(30 * 60), 11], [hourOf(1), 1]] },
      'not-fired',
    ],
    [
      '10 in 5 minutes: 12 recent events spread over an hour may have fired',
      [tenInFive],
      { count: 30, firstSeen: minutesAgo(2 * 24 * 60), lastSeen: minutesAgo(1), hourly: [[hourOf(1), 12]] },
      'maybe',
    ],
    ['spread out and no hourly figures: may have fired', [tenInFive], { count: 30, firstSeen: minutesAgo(90), lastSeen: minutesAgo(1) }, 'maybe'],
    ['any rule firing is enough', [tenInFive, anyEvent], { count: 2, firstSeen: minutesAgo(4), lastSeen: minutesAgo(1) }, 'fired'],
  ])('%s', (_name, rules, issue, verdict) => {
    expect(judgeAlertRules(rules, issue, since)).toBe(verdict);
  });
});
