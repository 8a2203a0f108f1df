import { describe, expect, it } from '@jest/globals';
import { readGlitchTipContract } from '@triage/testing';
import { extractExceptions, extractFrames, normalizeFrame } from './frames';
import { eventSchema, type StackFrame } from './schemas';

const contractEvent = readGlitchTipContract('api_issue_latest_event').body;

describe('extractFrames', () => {
  it('normalizes the contract event: camelCase renames and the snake_case context_line', () => {
    const frames = extractFrames(eventSchema.parse(contractEvent));
    expect(frames).toEqual([
      {
        filename: 'django/core/handlers/base.py',
        absPath: '/usr/local/lib/python3.13/site-packages/django/core/handlers/base.py',
        function: '_get_response',
        module: 'django.core.handlers.base',
        lineNo: 197,
        colNo: null,
        inApp: false,
        contextLine: '    response = wrapped_callback(request, *callback_args, **callback_kwargs)',
        context: [
          { lineNo: 196, line: '            try:' },
          { lineNo: 197, line: '    response = wrapped_callback(request, *callback_args, **callback_kwargs)' },
          { lineNo: 198, line: '            except Exception as e:' },
        ],
      },
      {
        filename: 'app/views/reports.py',
        absPath: '/srv/app/app/views/reports.py',
        function: 'compute_ratio',
        module: 'app.views.reports',
        lineNo: 88,
        colNo: null,
        inApp: true,
        contextLine: '    return total / count',
        context: [
          { lineNo: 86, line: 'def compute_ratio(total, count):' },
          { lineNo: 87, line: '    # count can be zero for new accounts' },
          { lineNo: 88, line: '    return total / count' },
          { lineNo: 89, line: '' },
        ],
      },
    ]);
  });

  it('keeps chained exceptions apart in extractExceptions and flattens them in extractFrames', () => {
    const event = {
      entries: [
        { type: 'breadcrumbs', data: { values: [] } },
        {
          type: 'exception' as const,
          data: {
            values: [
              { type: 'KeyError', value: "'id'", stacktrace: { frames: [{ filename: 'a.py', lineNo: 1 }] } },
              { type: 'ValueError', value: 'bad', mechanism: { handled: true }, stacktrace: { frames: [{ filename: 'b.py', lineNo: 2 }] } },
              { type: 'NoTrace', value: 'x', stacktrace: null },
            ],
          },
        },
      ],
    };
    const exceptions = extractExceptions(event);
    expect(exceptions.map((exception) => [exception.type, exception.handled, exception.frames.length])).toEqual([
      ['KeyError', null, 1],
      ['ValueError', true, 1],
      ['NoTrace', null, 0],
    ]);
    expect(extractFrames(event as never).map((frame) => frame.filename)).toEqual(['a.py', 'b.py']);
  });

  it('returns no frames for an event without an exception entry', () => {
    expect(extractFrames({ entries: [{ type: 'message', data: { formatted: 'hi' } }] })).toEqual([]);
  });
});

describe('normalizeFrame', () => {
  it.each<[string, Record<string, unknown>, Partial<ReturnType<typeof normalizeFrame>>]>([
    ['absPath falls back to filename', { filename: 'x.py' }, { absPath: 'x.py', inApp: false, lineNo: null, context: [] }],
    ['snake_case keys from other versions', { filename: 'x.py', in_app: true, abs_path: '/x.py', lineno: 3, colno: 7 }, { inApp: true, absPath: '/x.py', lineNo: 3, colNo: 7 }],
    ['camelCase wins over snake_case', { inApp: false, in_app: true, lineNo: 5, lineno: 6 }, { inApp: false, lineNo: 5 }],
    ['a null context line becomes empty text', { context: [[4, null]] }, { context: [{ lineNo: 4, line: '' }] }],
    ['nulls everywhere', { filename: null, function: null, module: null, inApp: null }, { filename: null, function: null, module: null, inApp: false, absPath: null }],
  ])('%s', (_name, frame, expected) => {
    expect(normalizeFrame(frame as StackFrame)).toMatchObject(expected);
  });
});
