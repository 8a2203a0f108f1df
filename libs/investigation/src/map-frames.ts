import path from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import type { CrashFrame } from './frames';
import { git, listFiles, readBlobs, type RunOptions, type TreeEntry } from './git';
import { candidatePaths, FileIndex, matchBySuffix, preferFunctionNearLine } from './path-map';

export interface ContextLine {
  line: number;
  text: string;
}

export interface MappedFrame {
  /** Index in the crash's frame list (0: the throw). */
  frameIndex: number;
  /** The event's in_app flag: library frames are mapped and shown but never blamed. Unset in older cached results. */
  inApp?: boolean;
  function: string | null;
  /** The path as the frame reported it. */
  reportedPath: string | null;
  /** Repository-relative file, or null when the frame maps to nothing. */
  file: string | null;
  line: number | null;
  via: 'suffix' | 'source-map' | 'search' | null;
  /** Why it maps to nothing, or how a tie was broken. */
  note: string | null;
  context: ContextLine[];
}

/** A revision's files, loaded once per repository and commit (a 20,000-file ls-tree costs ~50 ms). */
export interface RepoSnapshot {
  root: string;
  revision: string;
  index: FileIndex;
  blobs: Map<string, string>;
}

const snapshotCache = new Map<string, RepoSnapshot>();
const snapshotCacheSize = 8;

export async function loadSnapshot(root: string, revision: string, options: RunOptions = {}): Promise<RepoSnapshot> {
  const key = `${root}\0${revision}`;
  const cached = snapshotCache.get(key);
  if (cached) return cached;
  const entries: TreeEntry[] = await listFiles(root, revision, options);
  const snapshot = { root, revision, index: new FileIndex(entries.map((entry) => entry.path)), blobs: new Map(entries.map((entry) => [entry.path, entry.blob])) };
  // Only a commit id names fixed content; a ref such as HEAD moves.
  if (/^[0-9a-f]{40,64}$/.test(revision)) snapshotCache.set(key, snapshot);
  if (snapshotCache.size > snapshotCacheSize) snapshotCache.delete(snapshotCache.keys().next().value!);
  return snapshot;
}

export const maxContextLineChars = 200;
const contextRadius = 3;

/** Lines around `line`, each cut to a readable length (a minified or hostile 10 MB line stays small). */
export function contextAround(content: string | undefined, line: number | null): ContextLine[] {
  if (content === undefined || line === null || line < 1) return [];
  const lines = content.split('\n');
  const from = Math.max(1, line - contextRadius);
  const to = Math.min(lines.length, line + contextRadius);
  const out: ContextLine[] = [];
  for (let number = from; number <= to; number += 1) {
    const text = lines[number - 1] ?? '';
    out.push({ line: number, text: text.length > maxContextLineChars ? `${text.slice(0, maxContextLineChars)}…` : text });
  }
  return out;
}

export async function readFilesAt(snapshot: RepoSnapshot, files: readonly string[], options: RunOptions): Promise<Map<string, string>> {
  const blobs = files.map((file) => snapshot.blobs.get(file)).filter((blob): blob is string => blob !== undefined);
  const byBlob = await readBlobs(snapshot.root, blobs, options);
  const contents = new Map<string, string>();
  for (const file of files) {
    const blob = snapshot.blobs.get(file);
    const content = blob ? byBlob.get(blob) : undefined;
    if (content !== undefined) contents.set(file, content);
  }
  return contents;
}

function unmapped(frame: CrashFrame, frameIndex: number, note: string): MappedFrame {
  return { frameIndex, inApp: frame.inApp, function: frame.function, reportedPath: frame.path, file: null, line: frame.lineNo, via: null, note, context: [] };
}

/** Built JavaScript with a source map committed beside it: the original file and line. */
async function throughSourceMap(snapshot: RepoSnapshot, file: string, frame: CrashFrame, stripPrefixes: readonly string[], options: RunOptions): Promise<{ file: string; line: number } | undefined> {
  if (!/\.(m|c)?js$/.test(file) || frame.lineNo === null || !snapshot.blobs.has(`${file}.map`)) return undefined;
  const contents = await readFilesAt(snapshot, [`${file}.map`], options);
  try {
    const map = new TraceMap(contents.get(`${file}.map`) ?? '');
    const original = originalPositionFor(map, { line: frame.lineNo, column: Math.max(0, (frame.colNo ?? 1) - 1) });
    if (!original.source || original.line === null) return undefined;
    // Relative sources are relative to the map's directory; `webpack:///` and absolute ones go through the usual rules.
    const source = /^[a-z]+:|^\//i.test(original.source) ? original.source : path.posix.join(path.posix.dirname(file), original.source);
    const mapped = candidatePaths(source, stripPrefixes);
    if ('ignored' in mapped) return undefined;
    const match = matchBySuffix(mapped.candidates, snapshot.index);
    return match && match.files.length === 1 ? { file: match.files[0]!, line: original.line } : undefined;
  } catch {
    return undefined;
  }
}

/** Every frame to a repository file at the snapshot's revision, or the reason it maps to nothing. */
export async function mapFrames(snapshot: RepoSnapshot, frames: readonly CrashFrame[], stripPrefixes: readonly string[], options: RunOptions = {}): Promise<MappedFrame[]> {
  const results: MappedFrame[] = [];
  const ties = new Map<number, string[]>();
  for (const [frameIndex, frame] of frames.entries()) {
    const candidates = candidatePaths(frame.path ?? frame.absPath, stripPrefixes);
    if ('ignored' in candidates) {
      results.push(unmapped(frame, frameIndex, candidates.ignored));
      continue;
    }
    const match = matchBySuffix(candidates.candidates, snapshot.index);
    if (!match) {
      results.push(unmapped(frame, frameIndex, 'no file of the repository ends with this path'));
      continue;
    }
    const viaMap = await throughSourceMap(snapshot, match.files[0]!, frame, stripPrefixes, options);
    if (viaMap) {
      results.push({ frameIndex, inApp: frame.inApp, function: frame.function, reportedPath: frame.path, file: viaMap.file, line: viaMap.line, via: 'source-map', note: null, context: [] });
      continue;
    }
    if (match.files.length > 1) ties.set(frameIndex, match.files);
    results.push({ frameIndex, inApp: frame.inApp, function: frame.function, reportedPath: frame.path, file: match.files[0]!, line: frame.lineNo, via: 'suffix', note: null, context: [] });
  }
  if (ties.size > 0) {
    const contents = await readFilesAt(snapshot, [...new Set([...ties.values()].flat())], options);
    for (const [frameIndex, files] of ties) {
      const result = results[frameIndex]!;
      const frame = frames[frameIndex]!;
      const chosen = preferFunctionNearLine(files, contents, frame.function, frame.lineNo);
      result.file = chosen ?? files[0]!;
      result.note = chosen ? `${files.length} files end with this path; ${frame.function} is near line ${frame.lineNo} in this one` : `${files.length} files end with this path; the first is shown`;
    }
  }
  const mappedFiles = [...new Set(results.map((result) => result.file).filter((file): file is string => file !== null))];
  const contents = await readFilesAt(snapshot, mappedFiles, options);
  for (const result of results) if (result.file) result.context = contextAround(contents.get(result.file), result.line);
  return results;
}

/** Literal parts of a message worth searching for: quoted strings and long runs of words, without ids and numbers. */
export function searchTerms(fn: string | null, message: string | null): string[] {
  const terms: string[] = [];
  const name = fn?.split(/[.\s]/).filter(Boolean).pop();
  if (name && name.length >= 3 && !/^(anonymous|<anonymous>|Object|module|main)$/.test(name)) terms.push(name);
  for (const quoted of (message ?? '').matchAll(/["'`]([^"'`\n]{6,80})["'`]/g)) terms.push(quoted[1]!);
  const words = (message ?? '').split(/[^A-Za-z ,:_-]+/).map((part) => part.trim()).filter((part) => part.length >= 12);
  terms.push(...words.slice(0, 2).map((part) => part.slice(0, 80)));
  return [...new Set(terms)].slice(0, 4);
}

export interface SearchHit {
  file: string;
  line: number;
  term: string;
}

/**
 * `git grep` at the resolved revision (fixed strings, `-e` before the term, binary files skipped): the checkout's
 * working tree may be on another commit or hold untracked files, and neither is the code that crashed. Paths come
 * from the revision's tree, so symlinks are never followed out of the repository.
 */
export async function searchRepository(root: string, revision: string, terms: readonly string[], options: RunOptions = {}): Promise<SearchHit[]> {
  const hits: SearchHit[] = [];
  for (const term of terms) {
    const out = await git(root, ['grep', '-n', '-F', '-I', '--max-count', '2', '-e', term, revision, '--', ':!node_modules'], { ...options, okExitCodes: [1] });
    for (const row of out.split('\n').slice(0, 20)) {
      const match = /^(.+?):(\d+):/.exec(row.slice(revision.length + 1));
      if (!match) continue;
      hits.push({ file: match[1]!, line: Number(match[2]), term });
    }
    if (hits.length >= 5) break;
  }
  return hits.slice(0, 5);
}
