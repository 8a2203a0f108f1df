import { extractExceptions, type GlitchTipEvent, type NormalizedFrame } from '@triage/glitchtip';

/** One frame of the crash, the throw first. Values are untrusted: they came from an SDK or a pasted file. */
export interface CrashFrame {
  /** The path as reported (filename, else absPath). */
  path: string | null;
  absPath: string | null;
  function: string | null;
  module: string | null;
  lineNo: number | null;
  colNo: number | null;
  inApp: boolean;
  contextLine: string | null;
}

export interface CrashFrames {
  exceptionType: string | null;
  message: string | null;
  /** Innermost throw first: the chained cause's raising frame, then its callers, then the next exception's. */
  frames: CrashFrame[];
  source: 'event' | 'stack-file' | 'culprit';
}

/** Frames kept per investigation: a 200-frame recursion says nothing more than its first 50. */
export const maxFrames = 50;

function fromNormalized(frame: NormalizedFrame): CrashFrame {
  return {
    path: frame.filename ?? frame.absPath,
    absPath: frame.absPath,
    function: frame.function,
    module: frame.module,
    lineNo: frame.lineNo,
    colNo: frame.colNo,
    inApp: frame.inApp,
    contextLine: frame.contextLine,
  };
}

/**
 * GlitchTip stores chained exceptions cause first and each exception's frames outermost first. The innermost throw
 * (the cause's raising frame) is where a fix usually goes, so it comes first; the exception named by the issue
 * (the last one stored) gives the type and message.
 */
export function framesFromEvent(event: Pick<GlitchTipEvent, 'entries'>): CrashFrames {
  const exceptions = extractExceptions(event);
  const headline = exceptions[exceptions.length - 1];
  const frames: CrashFrame[] = [];
  const seen = new Set<string>();
  for (const exception of exceptions) {
    for (const frame of [...exception.frames].reverse()) {
      const crash = fromNormalized(frame);
      const key = `${crash.path}\u0000${crash.function}\u0000${crash.lineNo}`;
      if (seen.has(key)) continue;
      seen.add(key);
      frames.push(crash);
    }
  }
  return { exceptionType: headline?.type ?? null, message: headline?.value ?? null, frames: frames.slice(0, maxFrames), source: 'event' };
}

/**
 * The webhook's culprit when there is no API: `app.views in handler` (Python), `handler(app/views.py)` (JS SDKs),
 * or a bare path. One frame, no line number.
 */
export function framesFromCulprit(culprit: string | null | undefined, title?: string | null): CrashFrames {
  const [type, ...rest] = (title ?? '').split(': ');
  const base = { exceptionType: title ? type?.trim() || null : null, message: rest.length > 0 ? rest.join(': ') : null, source: 'culprit' as const };
  const text = (culprit ?? '').trim();
  if (!text) return { ...base, frames: [] };
  const inForm = /^(.+?) in (.+)$/.exec(text);
  const callForm = /^([^()\s]+)\((.+)\)$/.exec(text);
  let location: string;
  let fn: string | null;
  if (inForm) [location, fn] = [inForm[1]!, inForm[2]!];
  else if (callForm) [fn, location] = [callForm[1]!, callForm[2]!];
  else [location, fn] = [text, null];
  const looksLikePath = /[/\\]|\.[A-Za-z]{1,4}$/.test(location);
  const frame: CrashFrame = {
    path: looksLikePath ? location : location.replace(/\./g, '/'),
    absPath: null,
    function: fn,
    module: looksLikePath ? null : location,
    lineNo: null,
    colNo: null,
    inApp: true,
    contextLine: null,
  };
  return { ...base, frames: [frame] };
}

function cut(value: string | null, max: number): string | null {
  return value !== null && value.length > max ? `${value.slice(0, max)}…` : value;
}

/** Frames as stored and cached: untrusted strings cut to sizes a report can use (a 10 MB context line stays small). */
export function compactFrames(frames: readonly CrashFrame[]): CrashFrame[] {
  return frames.slice(0, maxFrames).map((frame) => ({
    ...frame,
    path: cut(frame.path, 500),
    absPath: cut(frame.absPath, 500),
    function: cut(frame.function, 200),
    module: cut(frame.module, 200),
    contextLine: cut(frame.contextLine, 200),
  }));
}

export function compactText(value: string | null, max = 2_000): string | null {
  return cut(value, max);
}
