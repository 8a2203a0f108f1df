import { describe, expect, it } from '@jest/globals';
import { decidePollActions, type KnownIssueState, type PolledIssue } from './poll-decisions';

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

describe('decidePollActions with the project alert rules (issue 10 item 5)', () => {
  const grace = 90_000;
  const withRules = (projectRules: Array<{ quantity: number | null; timespanMinutes: number | null }>, extra: Partial<Parameters<typeof decidePollActions>[2]> = {}) => ({
    ...rules,
    graceMs: grace,
    alertRules: new Map([['backend', projectRules]]),
    ...extra,
  });
  const backendIssue = (id: string, overrides: Partial<PolledIssue> = {}) => issue(id, { projectSlug: 'backend', ...overrides });

  it.each<{ name: string; issue: PolledIssue; projectRules: Array<{ quantity: number | null; timespanMinutes: number | null }>; action: string }>([
    { name: 'a project without alert rules: GlitchTip sent nothing, nothing was lost', issue: backendIssue('a'), projectRules: [], action: 'quiet' },
    {
      name: '"10 events in 5 minutes" and the issue has 5 events: not a lost webhook',
      issue: backendIssue('b', { count: 5, firstSeen: minutesAgo(4), lastSeen: minutesAgo(2) }),
      projectRules: [{ quantity: 10, timespanMinutes: 5 }],
      action: 'quiet',
    },
    {
      name: '"10 events in 5 minutes" reached 2 minutes ago: lost',
      issue: backendIssue('c', { count: 12, firstSeen: minutesAgo(5), lastSeen: minutesAgo(2) }),
      projectRules: [{ quantity: 10, timespanMinutes: 5 }],
      action: 'alert-lost',
    },
    {
      name: 'a rule that fired 30 s ago: the webhook still has time',
      issue: backendIssue('d', { count: 1, firstSeen: new Date(now - 30_000).toISOString(), lastSeen: new Date(now - 30_000).toISOString() }),
      projectRules: [{ quantity: 1, timespanMinutes: 1 }],
      action: 'wait',
    },
    {
      name: 'the grace is GlitchTip\'s 60 s alert interval plus a margin, not 3 minutes',
      issue: backendIssue('e', { count: 1, firstSeen: minutesAgo(2), lastSeen: minutesAgo(2) }),
      projectRules: [{ quantity: 1, timespanMinutes: 1 }],
      action: 'alert-lost',
    },
  ])('$name', ({ issue: polled, projectRules, action }) => {
    expect(decidePollActions([polled], new Map(), withRules(projectRules)).map((decision) => decision.action)).toEqual([action]);
  });

  it('an issue that keeps getting events is alerted once the grace has passed since a poll first judged its rule fired', () => {
    const busy = backendIssue('f', { count: 40, firstSeen: minutesAgo(4), lastSeen: new Date(now - 5_000).toISOString() });
    const projectRules = [{ quantity: 10, timespanMinutes: 5 }];
    expect(decidePollActions([busy], new Map(), withRules(projectRules))[0]).toMatchObject({ action: 'wait', verdict: 'fired' });
    const judged = new Map([['f', now - 2 * 60_000]]);
    expect(decidePollActions([busy], new Map(), withRules(projectRules, { firstJudgedFiredAt: judged }))[0]?.action).toBe('alert-lost');
  });

  it('a one-event rule fired at the first event, however recent the last one is', () => {
    const stillBusy = backendIssue('h', { count: 30, firstSeen: minutesAgo(10), lastSeen: new Date(now - 1_000).toISOString() });
    expect(decidePollActions([stillBusy], new Map(), withRules([{ quantity: 1, timespanMinutes: 1 }]))[0]?.action).toBe('alert-lost');
  });

  it('when the rules could not be read, falls back to the first event plus the grace', () => {
    const unknownRules = issue('g', { projectSlug: 'web', firstSeen: minutesAgo(2) });
    expect(decidePollActions([unknownRules], new Map(), withRules([{ quantity: 1, timespanMinutes: 1 }]))[0]?.action).toBe('alert-lost');
  });
});
