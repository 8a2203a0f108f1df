import { describe, expect, it } from '@jest/globals';
import { reconcileAction, undeliveredTargets, type MessageRowFacts } from './delivery-reconciliation';

const t = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 10, minutes));
const chat = { chatId: '-100', routeThreadId: 0 };
const topic = { chatId: '-100', routeThreadId: 7 };
const row = (overrides: Partial<MessageRowFacts>): MessageRowFacts => ({ chatId: '-100', routeThreadId: 0, generation: 1, status: 'sent', createdAt: t(1), ...overrides });

describe('undeliveredTargets', () => {
  const cases: Array<[string, Parameters<typeof undeliveredTargets>[0], MessageRowFacts[], unknown[]]> = [
    ['no message anywhere', { transition: 'new', transitionAt: t(0) }, [], [chat, topic]],
    ['sent in the chat, not in the topic', { transition: 'new', transitionAt: t(0) }, [row({})], [topic]],
    ['sent in both', { transition: 'new', transitionAt: t(0) }, [row({}), row({ routeThreadId: 7 })], []],
    ['in a digest counts as shown', { transition: 'new', transitionAt: t(0) }, [row({ status: 'digest' }), row({ routeThreadId: 7, status: 'digest' })], []],
    ['pending or failed is not shown', { transition: 'new', transitionAt: t(0) }, [row({ status: 'pending' }), row({ routeThreadId: 7, status: 'failed' })], [chat, topic]],
    ['a regression with only the old message', { transition: 'regression', transitionAt: t(5) }, [row({}), row({ routeThreadId: 7 })], [chat, topic]],
    [
      'a regression whose new generation went out in one place',
      { transition: 'regression', transitionAt: t(5) },
      [row({}), row({ generation: 2, createdAt: t(6) }), row({ routeThreadId: 7 })],
      [topic],
    ],
    ['a recovery edits the existing message', { transition: 'recovery', transitionAt: t(5) }, [row({}), row({ routeThreadId: 7 })], []],
  ];
  it.each(cases)('%s', (_name, alert, rows, expected) => {
    expect(undeliveredTargets(alert, [chat, topic], rows)).toEqual(expected);
  });
});

describe('reconcileAction', () => {
  it.each([
    [false, null, 'delivered'],
    [true, null, 'redrive'],
    [true, t(55), 'waiting'],
    [true, t(40), 'stuck'],
  ] as const)('undelivered %s, re-driven at %s: %s', (undelivered, redrivenAt, expected) => {
    expect(reconcileAction(undelivered, redrivenAt, t(59), 10 * 60_000)).toBe(expected);
  });
});
