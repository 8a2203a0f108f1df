import { describe, expect, it } from '@jest/globals';
import { parseRoutes, routeAlert, type AlertRouteFacts } from './routing';

const yamlRoutes = `# who gets what
routes:
  - match: { project: backend, environment: production, level: error+ }
    chat_id: -1001111111111
    message_thread_id: 42
  - match:
      component: [payments, Billing]
    chat_id: "@payments_alerts"
  - match: { level: [fatal, warning] }
    chat_id: -1002222222222
  - match: { environment: production, level: error+ }
    chat_id: -1001111111111
    message_thread_id: 42
`;

describe('routeAlert', () => {
  const rules = parseRoutes(yamlRoutes);
  const defaultChat = '-1009999999999';

  it.each<[string, AlertRouteFacts, Array<{ chatId: string; threadId?: number }>]>([
    [
      'every matching rule, deduplicated',
      { project: 'backend', environment: 'production', level: 'fatal' },
      [{ chatId: '-1001111111111', threadId: 42 }, { chatId: '-1002222222222' }],
    ],
    ['error+ includes error', { project: 'backend', environment: 'production', level: 'error' }, [{ chatId: '-1001111111111', threadId: 42 }]],
    ['error+ excludes warning; exact warning matches', { project: 'backend', environment: 'production', level: 'warning' }, [{ chatId: '-1002222222222' }]],
    ['names compare case-insensitively', { component: 'billing', level: 'info' }, [{ chatId: '@payments_alerts' }]],
    ['a rule naming a field the alert lacks does not match', { environment: 'staging', level: 'error' }, [{ chatId: defaultChat }]],
    ['an unknown level matches no level rule', { environment: 'production', level: null }, [{ chatId: defaultChat }]],
    ['nothing matches: the default chat', {}, [{ chatId: defaultChat }]],
  ])('%s', (_case, alert, expected) => {
    expect(routeAlert(rules, defaultChat, alert)).toEqual(expected);
  });

  it('without rules everything goes to the default chat, and nowhere without one', () => {
    expect(routeAlert([], defaultChat, { level: 'fatal' })).toEqual([{ chatId: defaultChat }]);
    expect(routeAlert([], undefined, { level: 'fatal' })).toEqual([]);
  });

  it('a catch-all rule replaces the default chat', () => {
    expect(routeAlert(parseRoutes('- chat_id: 7\n'), defaultChat, { project: 'x' })).toEqual([{ chatId: '7' }]);
  });
});
