import type { StackFrameView } from './alert-view';

/** Most recent call first, the way Node and the Sentry UI show it: `at fn (file:line:col)`. */
export function framesToText(frames: StackFrameView[]): string {
  return [...frames]
    .reverse()
    .map((frame) => {
      const file = frame.filename || frame.absPath || frame.module || '?';
      const position = [file, frame.lineNo, frame.colNo].filter((part) => part !== null && part !== undefined).join(':');
      const line = frame.function ? `at ${frame.function} (${position})` : `at ${position}`;
      const context = frame.contextLine?.trim();
      return context ? `${line}\n    ${context}` : line;
    })
    .join('\n');
}

export function stackTraceText(stackTrace: string | StackFrameView[]): string {
  return typeof stackTrace === 'string' ? stackTrace : framesToText(stackTrace);
}

/**
 * The head of a stack trace, cut after the last whole line that fits in `maxUnits` (or at a code point boundary when
 * the first line alone is longer). Trailing blank lines are dropped; `…` marks a cut.
 */
export function stackTraceHead(text: string, maxUnits: number): string {
  const trimmed = text.replace(/\s+$/, '');
  if (trimmed.length <= maxUnits) return trimmed;
  const lastBreak = trimmed.lastIndexOf('\n', maxUnits - 2);
  if (lastBreak > 0) return `${trimmed.slice(0, lastBreak)}\n…`;
  let end = maxUnits - 1;
  const last = trimmed.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${trimmed.slice(0, end)}…`;
}
