import { describe, expect, it } from '@jest/globals';
import { readRoutesFile, RoutesFileError } from './routes-file';

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
`;

function problemsOf(source: string): string[] {
  try {
    readRoutesFile(source, 'routes.yaml');
  } catch (error) {
    if (error instanceof RoutesFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the routes file to be rejected');
}

describe('readRoutesFile', () => {
  it('reads the INTERFACE.md keys (chat_id, message_thread_id) into normalised rules, without warnings', () => {
    expect(readRoutesFile(yamlRoutes)).toEqual({
      rules: [
        {
          match: { project: ['backend'], environment: ['production'], level: [{ level: 'error', orHigher: true }] },
          chatId: '-1001111111111',
          threadId: 42,
        },
        { match: { component: ['payments', 'Billing'] }, chatId: '@payments_alerts' },
        { match: { level: [{ level: 'fatal', orHigher: false }, { level: 'warning', orHigher: false }] }, chatId: '-1002222222222' },
      ],
      warnings: [],
    });
  });

  it('still reads the old chatId / threadId keys, with a deprecation warning at each', () => {
    const source = 'routes:\n  - chatId: -100123\n    threadId: 7\n  - chat_id: 5\n';
    expect(readRoutesFile(source, 'routes.yaml')).toEqual({
      rules: [
        { match: {}, chatId: '-100123', threadId: 7 },
        { match: {}, chatId: '5' },
      ],
      warnings: [
        'routes.yaml:2:5: routes[0].chatId: "chatId" is deprecated; write "chat_id"',
        'routes.yaml:3:5: routes[0].threadId: "threadId" is deprecated; write "message_thread_id"',
      ],
    });
  });

  it('reads JSON, as a bare list, and a rule without match as a catch-all', () => {
    const json = JSON.stringify([{ match: { level: 'error+' }, chat_id: -100123 }, { chat_id: '42' }], null, 2);
    expect(readRoutesFile(json).rules).toEqual([
      { match: { level: [{ level: 'error', orHigher: true }] }, chatId: '-100123' },
      { match: {}, chatId: '42' },
    ]);
  });

  it('reads an empty file as no rules', () => {
    expect(readRoutesFile('# nothing yet\n')).toEqual({ rules: [], warnings: [] });
  });

  it.each([
    ['an unknown field, at the key', 'routes:\n  - match: { enviroment: prod }\n    chat_id: 1\n', ['routes.yaml:2:14: routes[0].match.enviroment: unknown field']],
    [
      'a bad level inside a list',
      'routes:\n  - match:\n      level: [error+, critical]\n    chat_id: 1\n',
      ['routes.yaml:3:23: routes[0].match.level[1]: must be one of sample, debug, info, warning, error, fatal, optionally followed by + (e.g. error+)'],
    ],
    [
      'a bad single level',
      'routes:\n  - match: { level: errors }\n    chat_id: 1\n',
      ['routes.yaml:2:21: routes[0].match.level: must be one of sample, debug, info, warning, error, fatal, optionally followed by + (e.g. error+)'],
    ],
    ['a missing chat id, at the rule', 'routes:\n  - chat_id: 1\n  - match: { project: web }\n', ['routes.yaml:3:5: routes[1]: missing required field "chat_id"']],
    [
      'a bad chat id and a bad topic id, both reported',
      'routes:\n  - chat_id: general\n    message_thread_id: 0\n',
      [
        'routes.yaml:2:14: routes[0].chat_id: must be a numeric chat id (e.g. -1001234567890) or @channelusername',
        'routes.yaml:3:24: routes[0].message_thread_id: must be a positive forum topic id',
      ],
    ],
    ['both the new and the old key', 'routes:\n  - chat_id: 1\n    chatId: 2\n', ['routes.yaml:3:13: routes[0].chatId: give either chat_id or the deprecated chatId, not both']],
    ['a misspelt key', 'routes:\n  - chat-id: 1\n', ['routes.yaml:2:5: routes[0].chat-id: unknown field', 'routes.yaml:2:5: routes[0]: missing required field "chat_id"']],
    ['an empty project list', '- match: { project: [] }\n  chat_id: 1\n', ['routes.yaml:1:21: [0].match.project: must list at least one value']],
    ['a top level that is neither a list nor { routes }', 'chat_id: 1\n', ['routes.yaml:1:1: expected a list of rules, or an object with only a "routes" list']],
  ])('reports %s with its line', (_case, source, expected) => {
    expect(problemsOf(source)).toEqual(expected);
  });

  it.each([
    ['an unclosed flow list', 'routes:\n  - match: { project: [web }\n    chat_id: 1\n', 'routes.yaml:2:'],
    ['a tab-indented block', 'routes:\n\t- chat_id: 1\n', 'routes.yaml:2:'],
    ['a duplicate key', 'routes:\n  - chat_id: 1\n    chat_id: 2\n', 'routes.yaml:3:'],
    ['broken JSON', '[{"chat_id": 1}', 'routes.yaml:1:'],
  ])('reports a syntax error (%s) at its line', (_case, source, prefix) => {
    const problems = problemsOf(source);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.startsWith(prefix)).toBe(true);
  });
});
