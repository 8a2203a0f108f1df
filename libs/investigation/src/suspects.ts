import fs from 'node:fs/promises';
import { logWithFilesFormat, parseBlamePorcelain, parseLogWithFiles } from './blame';
import { git, insideRepo, type RunOptions } from './git';
import type { MappedFrame } from './map-frames';
import { blameRadius, EvidenceBook, rankSuspects, type Suspect } from './rank';

/**
 * Frames blamed per investigation. Each costs a git process, and a frame's evidence weighs 1/(1 + depth): past the
 * tenth it would add at most a tenth of the throw's. Deeper frames are still mapped and shown.
 */
export const maxBlamedFrames = 10;
const blameConcurrency = 6;
const logDepth = 20;
const historyDays = 180;

async function ignoreRevsFile(root: string): Promise<{ file: string; shas: Set<string> } | undefined> {
  const file = await insideRepo(root, '.git-blame-ignore-revs');
  if (!file || !(await fs.stat(file)).isFile()) return undefined;
  const shas = new Set((await fs.readFile(file, 'utf8')).split('\n').map((line) => line.replace(/#.*/, '').trim()).filter((line) => /^[0-9a-f]{40,64}$/.test(line)));
  return { file, shas };
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(work));
}

function lineCountOf(frame: MappedFrame): number {
  return frame.context.length > 0 ? frame.context[frame.context.length - 1]!.line : 0;
}

/**
 * Blames a few lines around each mapped frame's line at the revision (honouring `.git-blame-ignore-revs`), adds the
 * history of the mapped files up to first seen, and ranks the commits.
 */
export async function findSuspects(root: string, revision: string, mapped: readonly MappedFrame[], firstSeen: Date | null, now: Date, options: RunOptions = {}): Promise<Suspect[]> {
  // Library frames (in_app false) are someone else's code: a vendored driver's history is not the app's suspect.
  const frames = mapped.filter((frame) => frame.inApp !== false && frame.file !== null && frame.line !== null && frame.via !== 'search' && frame.context.length > 0).slice(0, maxBlamedFrames);
  const book = new EvidenceBook();
  const ignoreRevs = await ignoreRevsFile(root);
  const blamed = inBatches(frames.map((frame, rank) => ({ frame, rank })), blameConcurrency, async ({ frame, rank }) => {
    const line = Math.min(frame.line!, lineCountOf(frame));
    const from = Math.max(1, line - blameRadius);
    const to = Math.min(lineCountOf(frame), line + blameRadius);
    const blame = (ignore: string[]) => git(root, ['blame', '--porcelain', '-w', '-L', `${from},${to}`, ...ignore, revision, '--', frame.file!], options);
    // -w: a whitespace-only change (re-indenting) is never the cause. A malformed ignore list makes git refuse the
    // blame: blame without it rather than not at all.
    const out = ignoreRevs ? await blame(['--ignore-revs-file', ignoreRevs.file]).catch(() => blame([])) : await blame([]);
    const { lines, commits } = parseBlamePorcelain(out);
    for (const blamed of lines) {
      const commit = commits.get(blamed.sha)!;
      const distance = Math.abs(blamed.line - frame.line!);
      book.add(commit, distance === 0 ? { kind: 'exact-line', frame: rank, frameIndex: frame.frameIndex, file: frame.file!, line: blamed.line } : { kind: 'near-line', frame: rank, frameIndex: frame.frameIndex, file: frame.file!, line: blamed.line, distance });
    }
  });
  const files = [...new Set(frames.map((frame) => frame.file!))];
  // The file history runs beside the blames; months-old history barely scores, so the walk stops there.
  const history = async () => {
    if (files.length === 0) return;
    const reference = firstSeen ?? now;
    const window = [...(firstSeen ? [`--until=${firstSeen.toISOString()}`] : []), `--since=${new Date(reference.getTime() - historyDays * 86_400_000).toISOString()}`];
    const out = await git(root, ['log', '--no-merges', `-n${logDepth}`, `--format=${logWithFilesFormat}`, '--name-only', ...window, revision, '--', ...files], options);
    for (const { commit, files: touched } of parseLogWithFiles(out)) {
      // Commits the repository asks blame to skip (reformatting, renames) are not suspects by history either.
      if (ignoreRevs?.shas.has(commit.sha)) continue;
      for (const file of touched) {
        const rank = frames.findIndex((frame) => frame.file === file);
        if (rank >= 0) book.add(commit, { kind: 'file-history', frame: rank, frameIndex: frames[rank]!.frameIndex, file });
      }
    }
  };
  await Promise.all([blamed, history()]);
  return rankSuspects(book.candidates(), firstSeen, now);
}
