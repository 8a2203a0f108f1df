import { describe, expect, it } from '@jest/globals';
import { decideTransition, type IncomingSignal, type PreviousAlert } from './alert-transition';

const window = { dedupWindowMs: 5 * 60_000 };
const t0 = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function previous(overrides: Partial<PreviousAlert> = {}): PreviousAlert {
  return {
    state: 'open',
    mutedUntil: null,
    hasAlerted: true,
    uptimeDown: null,
    downSince: null,
    lastAlertedAt: t0,
    lastSignalAt: t0,
    lastSignalKey: 'job-1@1',
    lastTransition: 'new',
    suppressed: false,
    ...overrides,
  };
}

const issue = (minutes: number, regressed = false, signalKey = `job@${minutes}`): IncomingSignal => ({ kind: 'issue', regressed, receivedAt: at(minutes), signalKey });
const monitor = (minutes: number, down: boolean, signalKey = `job@${minutes}`): IncomingSignal => ({ kind: 'uptime', down, receivedAt: at(minutes), signalKey });

describe('decideTransition', () => {
  const cases: Array<[string, PreviousAlert | undefined, IncomingSignal, Record<string, unknown>]> = [
    ['first alert of an issue', undefined, issue(0), { action: 'record', transition: 'new', reopen: false, muted: false }],
    ['first alert after a mute made the row', previous({ hasAlerted: false, state: 'muted', mutedUntil: at(60) }), issue(1), { action: 'record', transition: 'new', muted: true }],
    ['a repeat inside the window collapses', previous(), issue(2), { action: 'skip', why: 'duplicate' }],
    ['a repeat after the window edits', previous(), issue(6), { action: 'record', transition: 'repeat', reopen: false }],
    ['a regression inside the window is recorded', previous(), issue(1, true), { action: 'record', transition: 'regression', reopen: true }],
    ['the same regression reported twice (poller and webhook)', previous({ lastTransition: 'regression' }), issue(1, true), { action: 'skip', why: 'duplicate' }],
    ['a regression after a regression and a resolve', previous({ lastTransition: 'regression', state: 'resolved' }), issue(1, true), { action: 'record', transition: 'regression', reopen: true }],
    ['a regression while muted keeps the mute', previous({ state: 'muted', mutedUntil: at(60) }), issue(1, true), { action: 'record', transition: 'regression', reopen: false, muted: true }],
    ['an alert after a resolve in Triage, inside the window', previous({ state: 'resolved' }), issue(1), { action: 'record', transition: 'realert', reopen: true }],
    ['an alert after an ignore', previous({ state: 'ignored' }), issue(30), { action: 'record', transition: 'realert', reopen: true }],
    ['an alert after the mute ended', previous({ state: 'muted', mutedUntil: at(10) }), issue(11), { action: 'record', transition: 'realert', reopen: true }],
    ['a repeat while muted, after the window', previous({ state: 'muted', mutedUntil: at(60) }), issue(20), { action: 'record', transition: 'repeat', muted: true }],
    ['a retry of the job that recorded it', previous({ lastSignalKey: 'job-9@5', lastTransition: 'regression' }), issue(1, false, 'job-9@5'), { action: 'retry', transition: 'regression' }],
    ['the first repeat after the switch was off is news', previous({ suppressed: true }), issue(1), { action: 'record', transition: 'new' }],
    ['first down of a monitor', undefined, monitor(0, true), { action: 'record', transition: 'new', downSince: t0.toISOString() }],
    ['down again while down, inside the window', previous({ uptimeDown: true, downSince: t0.toISOString() }), monitor(1, true), { action: 'skip', why: 'duplicate' }],
    ['down again while down, later', previous({ uptimeDown: true, downSince: t0.toISOString() }), monitor(9, true), { action: 'record', transition: 'repeat', downSince: t0.toISOString() }],
    ['back up after 12 minutes', previous({ uptimeDown: true, downSince: t0.toISOString(), lastSignalAt: at(3) }), monitor(12, false), { action: 'record', transition: 'recovery', downSince: t0.toISOString(), downForMs: 12 * 60_000 }],
    ['back up inside the window of the down', previous({ uptimeDown: true, downSince: t0.toISOString() }), monitor(1, false), { action: 'record', transition: 'recovery', downForMs: 60_000 }],
    ['down again after the recovery, inside the window', previous({ uptimeDown: false, downSince: t0.toISOString(), lastSignalAt: at(1) }), monitor(2, true), { action: 'record', transition: 'outage', downSince: at(2).toISOString() }],
    ['up again while up collapses', previous({ uptimeDown: false, lastSignalAt: at(1) }), monitor(2, false), { action: 'skip', why: 'duplicate' }],
    ['an uptime signal older than the recorded one', previous({ uptimeDown: false, lastSignalAt: at(3) }), monitor(2, true), { action: 'skip', why: 'stale' }],
  ];

  it.each(cases)('%s', (_name, before, signal, expected) => {
    expect(decideTransition(before, signal, window)).toMatchObject(expected);
  });
});
