import { describe, expect, it } from '@jest/globals';
import { parseRoutes, routeAlert, RoutesFileError, type AlertRouteFacts } from './routing';

const yamlRoutes = `# who gets what
routes:
  - match: { project: backend, environment: production, level: error+ }
    chatId: -1001111111111
    threadId: 42
  - match:
      component: [payments, Billing]
    chatId: "@payments_alerts"
  - match: { level: [fatal, warning] }
    chatId: -1002222222222
  - match: { environment: production, level: error+ }
    chatId: -1001111111111
    threadId: 42
`;

function problemsOf(source: string): string[] {
  try {
    parseRoutes(source, 'routes.yaml');
  } catch (error) {
    if (error instanceof RoutesFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the routes file to be rejected');
}

describe('parseRoutes', () => {
  it('reads YAML into normalised rules', () => {
    expect(parseRoutes(yamlRoutes)).toEqual([
      {
        match: { project: ['backend'], environment: ['production'], level: [{ level: 'error', orHigher: true }] },
        chatId: '-1001111111111',
        threadId: 42,
      },
      { match: { component: ['payments', 'Billing'] }, chatId: '@payments_alerts' },
      { match: { level: [{ level: 'fatal', orHigher: false }, { level: 'warning', orHigher: false }] }, chatId: '-1002222222222' },
      { match: { environment: ['production'], level: [{ level: 'error', orHigher: true }] }, chatId: '-1001111111111', threadId: 42 },
    ]);
  });

  it('reads JSON, as a bare list, and a rule without match as a catch-all', () => {
    const json = JSON.stringify([{ match: { level: 'error+' }, chatId: -100123 }, { chatId: '42' }], null, 2);
    expect(parseRoutes(json)).toEqual([
      { match: { level: [{ level: 'error', orHigher: true }] }, chatId: '-100123' },
      { match: {}, chatId: '42' },
    ]);
  });

  it('reads an empty file as no rules', () => {
    expect(parseRoutes('# nothing yet\n')).toEqual([]);
  });

  it.each([
    [
      'an unknown field, at the key',
      'routes:\n  - match: { enviroment: prod }\n    chatId: 1\n',
      ['routes.yaml:2:14: routes[0].match.enviroment: unknown field'],
    ],
    [
      'a bad level inside a list',
      'routes:\n  - match:\n      level: [error+, critical]\n    chatId: 1\n',
      ['routes.yaml:3:23: routes[0].match.level[1]: must be one of sample, debug, info, warning, error, fatal, optionally followed by + (e.g. error+)'],
    ],
    [
      'a bad single level',
      'routes:\n  - match: { level: errors }\n    chatId: 1\n',
      ['routes.yaml:2:21: routes[0].match.level: must be one of sample, debug, info, warning, error, fatal, optionally followed by + (e.g. error+)'],
    ],
    [
      'a missing chat id, at the rule',
      'routes:\n  - chatId: 1\n  - match: { project: web }\n',
      ['routes.yaml:3:5: routes[1]: missing required field "chatId"'],
    ],
    [
      'a bad chat id and a bad topic id, both reported',
      'routes:\n  - chatId: general\n    threadId: 0\n',
      [
        'routes.yaml:2:13: routes[0].chatId: must be a numeric chat id (e.g. -1001234567890) or @channelusername',
        'routes.yaml:3:15: routes[0].threadId: must be a positive forum topic id',
      ],
    ],
    ['an empty project list', '- match: { project: [] }\n  chatId: 1\n', ['routes.yaml:1:21: [0].match.project: must list at least one value']],
    ['a top level that is neither a list nor { routes }', 'chatId: 1\n', ['routes.yaml:1:1: expected a list of rules, or an object with only a "routes" list']],
  ])('reports %s with its line', (_case, source, expected) => {
    const problems = problemsOf(source);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((prefix, index) => expect(problems[index]?.startsWith(prefix)).toBe(true));
  });

  it.each([
    ['an unclosed flow list', 'routes:\n  - match: { project: [web }\n    chatId: 1\n', 'routes.yaml:2:'],
    ['a tab-indented block', 'routes:\n\t- chatId: 1\n', 'routes.yaml:2:'],
    ['a duplicate key', 'routes:\n  - chatId: 1\n    chatId: 2\n', 'routes.yaml:3:'],
    ['broken JSON', '[{"chatId": 1}', 'routes.yaml:1:'],
  ])('reports a syntax error (%s) at its line', (_case, source, prefix) => {
    const problems = problemsOf(source);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.startsWith(prefix)).toBe(true);
  });
});

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
    expect(routeAlert(parseRoutes('- chatId: 7\n'), defaultChat, { project: 'x' })).toEqual([{ chatId: '7' }]);
  });
});
