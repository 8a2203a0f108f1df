import { isLibraryPath } from './stack-text';

export type PathCandidate = { candidates: string[] } | { ignored: string };

const schemes = [/^webpack:\/\/(?:\/|[^/]+\/)/, /^app:\/\/\/?/, /^file:\/\/\/?/, /^https?:\/\/[^/]+\//];
const deployPrefixes = [/^\/usr\/src\/app\//, /^\/app\//, /^\/opt\/[^/]+\//, /^\/home\/[^/]+\/(?:[^/]+\/)?/, /^\/srv\/[^/]+\//, /^\/var\/www\/(?:[^/]+\/)?/, /^\/workspace\//];
const builtDirs = new Set(['dist', 'build', 'out', 'lib', '.next', 'server']);
const builtExtension = /\.(m|c)?js$/;

/**
 * The repository-relative paths a frame's path could be, best first, or why it maps to nothing. Pure: the matching
 * against the repository's files is `matchBySuffix`.
 */
export function candidatePaths(rawPath: string | null | undefined, stripPrefixes: readonly string[] = []): PathCandidate {
  if (!rawPath || rawPath.trim() === '') return { ignored: 'no file name in the frame' };
  if (/[\0\r\n]/.test(rawPath) || rawPath.length > 1_000) return { ignored: 'not a plausible file name' };
  let text = rawPath.trim().replace(/\\/g, '/');
  if (isLibraryPath(text)) return { ignored: 'library or runtime code' };
  text = text.replace(/[?#].*$/, '');
  for (const scheme of schemes) text = text.replace(scheme, '/');
  text = text.replace(/^[A-Za-z]:\//, '/');
  for (const prefix of stripPrefixes) {
    const normalized = prefix.replace(/\\/g, '/');
    if (normalized && text.startsWith(normalized)) {
      text = '/' + text.slice(normalized.length);
      break;
    }
  }
  for (const prefix of deployPrefixes) text = text.replace(prefix, '/');
  const segments = text.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { ignored: 'path leaves its directory (..)' };
  if (segments.length === 0) return { ignored: 'no file name in the frame' };
  const relative = segments.join('/');
  const candidates = [relative];
  const builtAt = segments.findIndex((segment) => builtDirs.has(segment));
  if (builtExtension.test(relative)) {
    const sourceSegments = builtAt >= 0 ? [...segments.slice(0, builtAt), 'src', ...segments.slice(builtAt + 1)] : segments;
    const source = sourceSegments.join('/');
    candidates.push(source.replace(builtExtension, '.ts'), source.replace(builtExtension, '.tsx'));
    if (builtAt >= 0) candidates.push(source);
  }
  return { candidates: [...new Set(candidates)] };
}

/** Files of a revision by base name, for suffix matching. */
export class FileIndex {
  private readonly byBaseName = new Map<string, string[]>();
  readonly size: number;

  constructor(files: Iterable<string>) {
    let size = 0;
    for (const file of files) {
      size += 1;
      const base = baseName(file);
      const list = this.byBaseName.get(base);
      if (list) list.push(file);
      else this.byBaseName.set(base, [file]);
    }
    this.size = size;
  }

  withBaseName(name: string): readonly string[] {
    return this.byBaseName.get(name) ?? [];
  }
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function trailingSegmentsInCommon(a: string[], b: string[]): number {
  let count = 0;
  while (count < a.length && count < b.length && a[a.length - 1 - count] === b[b.length - 1 - count]) count += 1;
  return count;
}

export interface SuffixMatch {
  /** Every file sharing the longest trailing suffix (more than one: a tie for the caller to break). */
  files: string[];
  /** Path segments in common, the file name included. */
  segments: number;
  /** Which candidate matched (0: the path as given; later: a dist -> src guess). */
  candidate: number;
}

/** The repository files sharing the longest trailing path suffix with any candidate; earlier candidates win ties. */
export function matchBySuffix(candidates: readonly string[], index: FileIndex): SuffixMatch | undefined {
  let best: SuffixMatch | undefined;
  candidates.forEach((candidate, candidateIndex) => {
    const segments = candidate.split('/');
    for (const file of index.withBaseName(segments[segments.length - 1]!)) {
      const common = trailingSegmentsInCommon(segments, file.split('/'));
      if (!best || common > best.segments) best = { files: [file], segments: common, candidate: candidateIndex };
      else if (common === best.segments && candidateIndex === best.candidate) best.files.push(file);
    }
  });
  if (best) best.files.sort();
  return best;
}

/** Tie-break: the file whose lines near `lineNo` mention the frame's function. */
export function preferFunctionNearLine(files: readonly string[], contents: ReadonlyMap<string, string>, fn: string | null, lineNo: number | null, radius = 10): string | undefined {
  const name = fn?.split(/[.\s]/).filter(Boolean).pop();
  if (!name || name.length < 2) return undefined;
  const hits = files.filter((file) => {
    const lines = contents.get(file)?.split('\n');
    if (!lines) return false;
    const from = lineNo ? Math.max(0, lineNo - 1 - radius) : 0;
    const to = lineNo ? Math.min(lines.length, lineNo + radius) : lines.length;
    return lines.slice(from, to).some((line) => line.includes(name));
  });
  return hits.length === 1 ? hits[0] : undefined;
}
