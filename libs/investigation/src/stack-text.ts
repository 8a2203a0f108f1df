import { maxFrames, type CrashFrame, type CrashFrames } from './frames';

/** A pasted trace larger than this is cut: the throw and its callers are at the top (V8) or bottom (Python). */
export const maxStackTextChars = 200_000;

interface Block {
  type: string | null;
  message: string | null;
  frames: CrashFrame[];
}

const v8Frame = /^\s*at (?:async )?(?:(new )?(.+?) \((.+)\)|(.+))\s*$/;
const v8Location = /^(.*?):(\d+)(?::(\d+))?$/;
const pythonFrame = /^\s*File "(.+)", line (\d+)(?:, in (.+))?\s*$/;
const exceptionLine = /^\s*(?:\[cause\]: |Caused by: )?([A-Za-z_$][\w$.]*(?:Error|Exception|Warning|Exit|Interrupt|Fault)|[A-Za-z_$][\w$.]*\.[A-Z][\w$]*|Error)(?:: (.*))?\s*$/;

/** Frames from outside the application: dependencies and the runtime. */
export function isLibraryPath(path: string): boolean {
  return /(^|[/\\])(node_modules|site-packages|dist-packages)([/\\]|$)/.test(path) || /^(node:|internal[/\\]|<)/.test(path) || /^\/usr\/lib\/python/.test(path);
}

function frame(path: string, fn: string | null, lineNo: number | null, colNo: number | null, contextLine: string | null = null): CrashFrame {
  return { path, absPath: path, function: fn, module: null, lineNo, colNo, inApp: !isLibraryPath(path), contextLine };
}

function parseV8(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const raw of lines) {
    // Node prints an error's own properties after its frames: `    at fn (file:1:2) {`.
    const line = raw.replace(/\s*\{\s*$/, '');
    const at = v8Frame.exec(line);
    if (at) {
      const location = at[3] ?? at[4] ?? '';
      const parsed = v8Location.exec(location);
      const fn = at[2] ? `${at[1] ?? ''}${at[2]}` : null;
      current ??= { type: null, message: null, frames: [] };
      if (!blocks.includes(current)) blocks.push(current);
      current.frames.push(parsed ? frame(parsed[1]!, fn, Number(parsed[2]), parsed[3] ? Number(parsed[3]) : null) : frame(location, fn, null, null));
      continue;
    }
    const heading = exceptionLine.exec(line);
    if (heading) {
      current = { type: heading[1]!, message: heading[2] ?? null, frames: [] };
      blocks.push(current);
    }
  }
  // V8 prints the outer error first and its causes after: the innermost throw is the last block.
  return blocks.reverse();
}

function parsePython(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let lastFrame: CrashFrame | undefined;
  for (const line of lines) {
    if (/^\s*Traceback \(most recent call last\):/.test(line)) {
      current = { type: null, message: null, frames: [] };
      blocks.push(current);
      lastFrame = undefined;
      continue;
    }
    const file = pythonFrame.exec(line);
    if (file) {
      if (!current) {
        current = { type: null, message: null, frames: [] };
        blocks.push(current);
      }
      lastFrame = frame(file[1]!, file[3]?.trim() ?? null, Number(file[2]), null);
      current.frames.push(lastFrame);
      continue;
    }
    if (current && lastFrame && /^\s{4,}\S/.test(line) && lastFrame.contextLine === null) {
      lastFrame.contextLine = line.trim();
      continue;
    }
    const heading = /^\s*([A-Za-z_][\w.]*)(?:: (.*))?\s*$/.exec(line);
    if (current && current.type === null && current.frames.length > 0 && heading && !/^\s/.test(line)) {
      current.type = heading[1]!;
      current.message = heading[2] ?? null;
      lastFrame = undefined;
    }
  }
  // Python prints the cause first and each traceback outermost call first.
  return blocks.map((block) => ({ ...block, frames: [...block.frames].reverse() }));
}

/** A pasted Node/V8 (also TypeScript through source maps) or Python stack trace, innermost throw first. */
export function parseStackText(text: string): CrashFrames {
  const lines = text.slice(0, maxStackTextChars).split(/\r?\n/);
  const python = lines.some((line) => /^\s*Traceback \(most recent call last\):|^\s*File ".+", line \d+/.test(line));
  const blocks = (python ? parsePython(lines) : parseV8(lines)).filter((block) => block.frames.length > 0 || block.type);
  // Python prints the headline exception last; V8 first (and its blocks were reversed above).
  const headline = blocks[blocks.length - 1];
  const frames = blocks.flatMap((block) => block.frames).slice(0, maxFrames);
  return { exceptionType: headline?.type ?? null, message: headline?.message ?? null, frames, source: 'stack-file' };
}
