import type { ExceptionEntry, GlitchTipEvent, StackFrame } from './schemas';

export interface ContextLine {
  lineNo: number;
  line: string;
}

/** A stack frame with GlitchTip's mixed key casing (inApp but context_line) smoothed out. */
export interface NormalizedFrame {
  filename: string | null;
  absPath: string | null;
  function: string | null;
  module: string | null;
  lineNo: number | null;
  colNo: number | null;
  inApp: boolean;
  contextLine: string | null;
  /** Source around the frame, pre-context, the line itself and post-context, in line order. */
  context: ContextLine[];
}

export interface NormalizedException {
  type: string | null;
  value: string | null;
  module: string | null;
  handled: boolean | null;
  /** Outermost call first, the frame that raised last (the SDKs' order). */
  frames: NormalizedFrame[];
}

/** Exceptions of an event in the order GlitchTip stores them (for chained exceptions: the cause first). */
export function extractExceptions(event: Pick<GlitchTipEvent, 'entries'>): NormalizedException[] {
  const exceptionEntries = event.entries.filter((entry): entry is ExceptionEntry => entry.type === 'exception');
  return exceptionEntries.flatMap((entry) =>
    entry.data.values.map((value) => ({
      type: value.type ?? null,
      value: value.value ?? null,
      module: value.module ?? null,
      handled: value.mechanism?.handled ?? null,
      frames: (value.stacktrace?.frames ?? []).map(normalizeFrame),
    })),
  );
}

/** Every exception frame of an event, flattened in stored order; see extractExceptions to keep them apart. */
export function extractFrames(event: Pick<GlitchTipEvent, 'entries'>): NormalizedFrame[] {
  return extractExceptions(event).flatMap((exception) => exception.frames);
}

// GlitchTip renames only in_app/abs_path/lineno/colno; the snake_case fallbacks cover data stored by other versions.
export function normalizeFrame(frame: StackFrame): NormalizedFrame {
  const raw = frame as Record<string, unknown>;
  return {
    filename: frame.filename ?? null,
    absPath: frame.absPath ?? stringOrNull(raw.abs_path) ?? frame.filename ?? null,
    function: frame.function ?? null,
    module: frame.module ?? null,
    lineNo: frame.lineNo ?? numberOrNull(raw.lineno),
    colNo: frame.colNo ?? numberOrNull(raw.colno),
    inApp: frame.inApp ?? booleanOrNull(raw.in_app) ?? false,
    contextLine: frame.context_line ?? null,
    context: (frame.context ?? []).map(([lineNo, line]) => ({ lineNo, line: line ?? '' })),
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function booleanOrNull(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}
