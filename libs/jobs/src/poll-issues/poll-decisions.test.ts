import { describe, expect, it } from '@jest/globals';
import { decidePollActions, isRegression, type KnownIssueState, type PolledIssue } from './poll-decisions';

const now = Date.parse('2026-11-27T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const issue = (id: string, overrides: Partial<PolledIssue> = {}): PolledIssue => ({
  id,
  status: 'unresolved',
  count: 5,
  firstSeen: minutesAgo(30),
  lastSeen: minutesAgo(1),
  ...overrides,
});
const rules = { baselineDone: true, now, graceMs: 3 * 60_000, maxAlerts: 25 };

describe('decidePollActions', () => {
  it.each<{ name: string; issue: PolledIssue; known?: KnownIssueState; baselineDone?: boolean; action: string }>([
    { name: 'first run records history silently', issue: issue('1'), baselineDone: false, action: 'record' },
    { name: 'unknown unresolved issue past the grace period is a lost webhook', issue: issue('2'), action: 'alert-lost' },
    { name: 'unknown issue still in the grace period waits', issue: issue('3', { firstSeen: minutesAgo(1) }), action: 'wait' },
    { name: 'unknown resolved issue is only recorded', issue: issue('4', { status: 'resolved' }), action: 'record' },
    { name: 'known resolved issue unresolved with new events regressed', issue: issue('5', { count: 9 }), known: { status: 'resolved', eventCount: 5 }, action: 'alert-regression' },
    { name: 'known ignored issue unresolved with new events regressed', issue: issue('6', { count: 6 }), known: { status: 'ignored', eventCount: 5 }, action: 'alert-regression' },
    { name: 'reopened by hand without new events is not a regression', issue: issue('7', { count: 5 }), known: { status: 'resolved', eventCount: 5 }, action: 'record' },
    { name: 'already alerted unresolved issue with more events stays quiet', issue: issue('8', { count: 500 }), known: { status: 'unresolved', eventCount: 5 }, action: 'record' },
    { name: 'resolved in GlitchTip is recorded', issue: issue('9', { status: 'resolved' }), known: { status: 'unresolved', eventCount: 5 }, action: 'record' },
  ])('$name', ({ issue: polled, known, baselineDone = true, action }) => {
    const knownMap = new Map(known ? [[polled.id, known]] : []);
    expect(decidePollActions([polled], knownMap, { ...rules, baselineDone })).toEqual([{ issue: polled, action }]);
  });

  it('caps alerts per poll, oldest first, and defers the rest', () => {
    const issues = [issue('a', { lastSeen: minutesAgo(1) }), issue('b', { lastSeen: minutesAgo(3) }), issue('c', { lastSeen: minutesAgo(2) })];
    const actions = decidePollActions(issues, new Map(), { ...rules, maxAlerts: 2 }).map((decision) => [decision.issue.id, decision.action]);
    expect(actions).toEqual([
      ['a', 'wait'],
      ['b', 'alert-lost'],
      ['c', 'alert-lost'],
    ]);
  });
});

describe('isRegression', () => {
  it.each<[string, KnownIssueState | undefined, string, number | undefined, boolean]>([
    ['unknown issue', undefined, 'unresolved', 9, false],
    ['resolved, unresolved again with more events', { status: 'resolved', eventCount: 5 }, 'unresolved', 6, true],
    ['ignored, unresolved again with more events', { status: 'ignored', eventCount: 5 }, 'unresolved', 6, true],
    ['reopened without new events', { status: 'resolved', eventCount: 5 }, 'unresolved', 5, false],
    ['still resolved', { status: 'resolved', eventCount: 5 }, 'resolved', 9, false],
    ['was open all along', { status: 'unresolved', eventCount: 5 }, 'unresolved', 9, false],
    ['webhook only (no count): the alert itself means new events', { status: 'resolved', eventCount: 5 }, 'unresolved', undefined, true],
  ])('%s', (_name, state, status, count, expected) => {
    expect(isRegression(state, status, count)).toBe(expected);
  });
});
