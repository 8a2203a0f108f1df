import { RE2 } from 're2-wasm';

/** A compiled pattern: RE2 runs in time linear in the text, so no pattern can stall a worker on a long message. */
export interface CompiledPattern {
  test(text: string): boolean;
  /** The matched text and where it starts, or undefined. */
  exec(text: string): { match: string; index: number } | undefined;
}

export type CompileResult = { ok: true; pattern: CompiledPattern } | { ok: false; reason: string };

/** Case-insensitive, Unicode; the messages name what RE2 refused (backreferences, lookaround). */
export function compilePattern(source: string): CompileResult {
  try {
    const regex = new RE2(source, 'iu');
    return {
      ok: true,
      pattern: {
        test: (text) => regex.test(text),
        exec: (text) => {
          const found = regex.exec(text);
          return found ? { match: found[0] ?? '', index: found.index } : undefined;
        },
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: message.replace(/^Invalid regular expression: /, '') };
  }
}
