import { describe, expect, it } from '@jest/globals';
import { eventSchema } from '@triage/glitchtip';
import { readGlitchTipContract } from '@triage/testing';
import { framesFromCulprit, framesFromEvent } from './frames';
import { parseStackText } from './stack-text';

function eventWith(values: unknown[]) {
  const example = readGlitchTipContract('api_issue_latest_event.json') as { body: Record<string, unknown> };
  return eventSchema.parse({ ...example.body, entries: [{ type: 'exception', data: { values } }] });
}

describe('frames from the latest event', () => {
  it('reads the contract example: camelCase frames, the throw first', () => {
    const example = readGlitchTipContract('api_issue_latest_event.json') as { body: unknown };
    const crash = framesFromEvent(eventSchema.parse(example.body));
    expect(crash.source).toBe('event');
    expect(crash.frames.length).toBeGreaterThan(0);
    expect(crash.frames[0]!.lineNo).not.toBeNull();
  });

  it('puts the innermost throw first for chained exceptions and names the headline exception', () => {
    const crash = framesFromEvent(
      eventWith([
        { type: 'KeyError', value: "'user_id'", stacktrace: { frames: [{ filename: 'app/views.py', function: 'view', lineNo: 10, inApp: true }, { filename: 'app/db.py', function: 'lookup', lineNo: 42, inApp: true }] } },
        { type: 'RuntimeError', value: 'lookup failed', stacktrace: { frames: [{ filename: 'app/main.py', function: 'main', lineNo: 3, inApp: true }, { filename: 'app/views.py', function: 'handle', lineNo: 20, inApp: true }] } },
      ]),
    );
    expect(crash.exceptionType).toBe('RuntimeError');
    expect(crash.message).toBe('lookup failed');
    expect(crash.frames.map((frame) => `${frame.path}:${frame.lineNo}`)).toEqual(['app/db.py:42', 'app/views.py:10', 'app/views.py:20', 'app/main.py:3']);
  });

  it('keeps snake_case frames from other GlitchTip versions', () => {
    const crash = framesFromEvent(eventWith([{ type: 'E', value: 'x', stacktrace: { frames: [{ filename: 'a.js', lineno: 7, colno: 3, in_app: true, abs_path: '/app/a.js' }] } }]));
    expect(crash.frames[0]).toMatchObject({ path: 'a.js', absPath: '/app/a.js', lineNo: 7, colNo: 3, inApp: true });
  });
});

describe('frames from the webhook culprit', () => {
  it.each([
    ['app.views in handler', { path: 'app/views', module: 'app.views', function: 'handler' }],
    ['handler(src/routes/users.ts)', { path: 'src/routes/users.ts', function: 'handler' }],
    ['src/db/pool.ts', { path: 'src/db/pool.ts', function: null }],
  ])('%s', (culprit, expected) => {
    const crash = framesFromCulprit(culprit, 'TypeError: boom');
    expect(crash.frames[0]).toMatchObject(expected);
    expect(crash).toMatchObject({ exceptionType: 'TypeError', message: 'boom', source: 'culprit' });
  });

  it('gives no frames without a culprit', () => {
    expect(framesFromCulprit('', null).frames).toEqual([]);
  });
});

describe('pasted stack traces', () => {
  it('reads a Node/V8 trace with a cause: the cause first, runtime and dependency frames not in-app', () => {
    const text = [
      'Error: request failed',
      '    at handler (/app/dist/routes/users.js:10:5)',
      '    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {',
      "  [cause]: TypeError: Cannot read properties of undefined (reading 'id')",
      '      at Pool.connect (/app/dist/db/pool.js:42:13)',
      '      at async getUser (/app/dist/db/users.js:7:3)',
      '}',
    ].join('\n');
    const crash = parseStackText(text);
    expect(crash.exceptionType).toBe('Error');
    expect(crash.message).toBe('request failed');
    expect(crash.frames.map((frame) => [frame.path, frame.function, frame.lineNo, frame.inApp])).toEqual([
      ['/app/dist/db/pool.js', 'Pool.connect', 42, true],
      ['/app/dist/db/users.js', 'getUser', 7, true],
      ['/app/dist/routes/users.js', 'handler', 10, true],
      ['/app/node_modules/express/lib/router/layer.js', 'Layer.handle [as handle_request]', 95, false],
      ['node:internal/process/task_queues', 'process.processTicksAndRejections', 95, false],
    ]);
  });

  it('reads source-mapped TypeScript frames and anonymous ones', () => {
    const crash = parseStackText('TypeError: x is not a function\n    at /srv/api/src/index.ts:5:1\n    at new Service (webpack:///./src/service.ts:12:9)');
    expect(crash.frames.map((frame) => [frame.path, frame.function, frame.lineNo, frame.colNo])).toEqual([
      ['/srv/api/src/index.ts', null, 5, 1],
      ['webpack:///./src/service.ts', 'new Service', 12, 9],
    ]);
  });

  it('reads a chained Python traceback: the cause first, each innermost frame first, with its source line', () => {
    const text = [
      'Traceback (most recent call last):',
      '  File "/usr/src/app/app/db.py", line 42, in lookup',
      '    return rows[key]',
      "KeyError: 'user_id'",
      '',
      'The above exception was the direct cause of the following exception:',
      '',
      'Traceback (most recent call last):',
      '  File "/usr/src/app/app/views.py", line 10, in view',
      '    user = lookup(key)',
      '  File "/usr/local/lib/python3.12/site-packages/django/core/handlers.py", line 5, in inner',
      '    response = get_response(request)',
      'RuntimeError: lookup failed',
    ].join('\n');
    const crash = parseStackText(text);
    expect(crash).toMatchObject({ exceptionType: 'RuntimeError', message: 'lookup failed', source: 'stack-file' });
    expect(crash.frames.map((frame) => [frame.path, frame.function, frame.lineNo, frame.inApp, frame.contextLine])).toEqual([
      ['/usr/src/app/app/db.py', 'lookup', 42, true, 'return rows[key]'],
      ['/usr/local/lib/python3.12/site-packages/django/core/handlers.py', 'inner', 5, false, 'response = get_response(request)'],
      ['/usr/src/app/app/views.py', 'view', 10, true, 'user = lookup(key)'],
    ]);
  });

  it('gives no frames for text that is not a trace', () => {
    expect(parseStackText('hello\nworld').frames).toEqual([]);
  });
});
