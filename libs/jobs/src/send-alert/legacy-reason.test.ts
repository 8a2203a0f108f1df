import { describe, expect, it } from '@jest/globals';
import { legacyUptimeReason, type LegacyUptimeFacts } from './legacy-reason';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
const facts = (overrides: Partial<LegacyUptimeFacts>): LegacyUptimeFacts => ({
  down: true,
  lastTransition: 'outage',
  transitionAt: at(30),
  latestMessageAt: at(0),
  ...overrides,
});

describe('legacyUptimeReason (jobs queued by an older build with reason "uptime")', () => {
  it.each<[string, Partial<LegacyUptimeFacts>, 'outage' | 'repeat']>([
    ['down again after a recovery, no message for it yet', {}, 'outage'],
    ['down again, no message at all yet', { latestMessageAt: null }, 'outage'],
    ['down again, its message already opened (a newer job sent it)', { latestMessageAt: at(31) }, 'repeat'],
    ['still down (the latest signal repeated)', { lastTransition: 'repeat' }, 'repeat'],
    ['the first down (new)', { lastTransition: 'new' }, 'repeat'],
    ['back up', { down: false, lastTransition: 'recovery' }, 'repeat'],
    ['an older row without transitions', { lastTransition: null, transitionAt: null }, 'repeat'],
  ])('%s: %s', (_name, overrides, expected) => {
    expect(legacyUptimeReason(facts(overrides))).toBe(expected);
  });

});
