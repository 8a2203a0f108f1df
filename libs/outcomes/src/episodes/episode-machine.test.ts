import { describe, it, expect } from '@jest/globals';
import type { OutcomeEvent } from './episode';
import { applyOutcomeEvent, episodeDurations, replayOutcomeEvents } from './episode-machine';
import { holdoutGroupOf } from './holdout';
import { manualClock } from './test-clock';

type Unstamped = OutcomeEvent extends infer E ? (E extends OutcomeEvent ? Omit<E, 'at'> : never) : never;

/** Builds a script: `at(+minutes, event)` moves the clock, then stamps the event with it. */
function script(start: string) {
  const clock = manualClock(start);
  const events: OutcomeEvent[] = [];
  return {
    events,
    after(minutes: number, event: Unstamped) {
      events.push({ ...event, at: clock.advanceMinutes(minutes) });
    },
  };
}

describe('episode state machine', () => {
  it('times acknowledge and resolve, and a regression opens a second episode', () => {
    const s = script('2026-12-01T10:00:00Z');
    s.after(0, { type: 'alerted', issueId: '42', regression: false, holdoutPercent: 0 });
    s.after(2, { type: 'alerted', issueId: '42', regression: false, holdoutPercent: 0 }); // a repeat: same episode
    s.after(3, { type: 'help-shown', issueId: '42', help: 'investigation' });
    s.after(2, { type: 'action', issueId: '42', action: 'acknowledge', actor: '@ana' }); // 7 min after the alert
    s.after(1, { type: 'action', issueId: '42', action: 'mute', actor: '@bo' }); // not the first action: changes nothing
    s.after(1, { type: 'runbook-click', issueId: '42' });
    s.after(10, { type: 'action', issueId: '42', action: 'resolve', actor: '@ana' }); // 19 min
    s.after(5, { type: 'action', issueId: '42', action: 'ignore', actor: '@bo' }); // closed: ignored
    s.after(60, { type: 'alerted', issueId: '42', regression: true, holdoutPercent: 0 }); // second episode at 84 min
    s.after(30, { type: 'closed-outside', issueId: '42', status: 'resolved' }); // poller: resolved in GlitchTip

    const [first, second, ...rest] = replayOutcomeEvents(s.events);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ seq: 1, state: 'resolved', alertCount: 2, acknowledgedBy: '@ana', firstAction: 'acknowledge', closedVia: 'telegram', closedBy: '@ana', runbookClicks: 1, regression: false });
    expect(first!.investigationShownAt!.getTime()).toBeLessThan(first!.acknowledgedAt!.getTime());
    expect(episodeDurations(first!)).toEqual({ toAcknowledgeMinutes: 7, toResolveMinutes: 19 });
    expect(second).toMatchObject({ seq: 2, state: 'resolved', regression: true, acknowledgedAt: null, closedVia: 'glitchtip', group: first!.group });
    expect(episodeDurations(second!)).toEqual({ toAcknowledgeMinutes: null, toResolveMinutes: 30 });
  });

  it.each<[string, OutcomeEvent, string]>([
    ['a press before any alert', { type: 'action', issueId: '1', at: new Date(), action: 'resolve', actor: '@x' }, 'no alert episode for this issue'],
    ['a close seen before any alert', { type: 'closed-outside', issueId: '1', at: new Date(), status: 'resolved' }, 'no open episode'],
    ['help shown before any alert', { type: 'help-shown', issueId: '1', at: new Date(), help: 'runbook' }, 'no open episode'],
  ])('records nothing for %s', (_name, event, reason) => {
    expect(applyOutcomeEvent(undefined, event)).toEqual({ kind: 'none', reason });
  });

  it('a first action that resolves is also the acknowledgement; ignoring closes without a resolve time', () => {
    const s = script('2026-12-01T10:00:00Z');
    s.after(0, { type: 'alerted', issueId: '7', regression: false, holdoutPercent: 0 });
    s.after(4, { type: 'action', issueId: '7', action: 'resolve', actor: '@ana' });
    s.after(0, { type: 'alerted', issueId: '8', regression: false, holdoutPercent: 0 });
    s.after(6, { type: 'action', issueId: '8', action: 'ignore', actor: '@bo' });
    const [seven, eight] = replayOutcomeEvents(s.events);
    expect(episodeDurations(seven!)).toEqual({ toAcknowledgeMinutes: 4, toResolveMinutes: 4 });
    expect(eight).toMatchObject({ state: 'ignored', closedAs: 'ignored' });
    expect(episodeDurations(eight!)).toEqual({ toAcknowledgeMinutes: 6, toResolveMinutes: null });
  });

  it('a regression of an episode still open closes it (GlitchTip resolved it unseen) and opens the next', () => {
    const s = script('2026-12-01T10:00:00Z');
    s.after(0, { type: 'alerted', issueId: '9', regression: false, holdoutPercent: 0 });
    s.after(50, { type: 'alerted', issueId: '9', regression: true, holdoutPercent: 0 });
    const [first, second] = replayOutcomeEvents(s.events);
    expect(first).toMatchObject({ seq: 1, state: 'resolved', closedVia: 'glitchtip' });
    expect(second).toMatchObject({ seq: 2, state: 'open', regression: true });
  });

  it('a control-group issue keeps its group on regression, and asking for help there is a crossover', () => {
    const controlId = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].find((id) => holdoutGroupOf(id, 50) === 'control')!;
    const s = script('2026-12-01T10:00:00Z');
    s.after(0, { type: 'alerted', issueId: controlId, regression: false, holdoutPercent: 50 });
    s.after(3, { type: 'action', issueId: controlId, action: 'mute', actor: '@ana' });
    s.after(2, { type: 'action', issueId: controlId, action: 'investigate', actor: '@ana' });
    s.after(2, { type: 'action', issueId: controlId, action: 'resolve', actor: '@ana' });
    // The experiment was switched off since: the issue stays in the group it started in.
    s.after(20, { type: 'alerted', issueId: controlId, regression: true, holdoutPercent: 0 });
    const [first, second] = replayOutcomeEvents(s.events);
    expect(first).toMatchObject({ group: 'control', firstAction: 'mute', crossoverAction: 'investigate' });
    expect(first!.crossoverAt!.toISOString()).toBe('2026-12-01T10:05:00.000Z');
    expect(second).toMatchObject({ group: 'control', crossoverAt: null });
  });

  it('investigating a treatment issue is no crossover', () => {
    const treatmentId = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].find((id) => holdoutGroupOf(id, 50) === 'treatment')!;
    const s = script('2026-12-01T10:00:00Z');
    s.after(0, { type: 'alerted', issueId: treatmentId, regression: false, holdoutPercent: 50 });
    s.after(1, { type: 'action', issueId: treatmentId, action: 'investigate', actor: '@ana' });
    expect(replayOutcomeEvents(s.events)[0]).toMatchObject({ group: 'treatment', crossoverAt: null, firstAction: 'investigate' });
  });
});
