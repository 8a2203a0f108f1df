export interface CommitInfo {
  sha: string;
  author: string;
  /** Committer time, unix seconds: when the change reached the branch. */
  time: number;
  subject: string;
}

export interface BlamedLine {
  sha: string;
  /** Line number in the blamed revision. */
  line: number;
}

/** `git blame --porcelain` output: which commit last touched each line, and those commits' metadata. */
export function parseBlamePorcelain(text: string): { lines: BlamedLine[]; commits: Map<string, CommitInfo> } {
  const lines: BlamedLine[] = [];
  const commits = new Map<string, CommitInfo>();
  let current: CommitInfo | undefined;
  for (const row of text.split('\n')) {
    if (row.startsWith('\t')) continue;
    const header = /^([0-9a-f]{40,64}) \d+ (\d+)(?: \d+)?$/.exec(row);
    if (header) {
      const sha = header[1]!;
      current = commits.get(sha);
      if (!current) {
        current = { sha, author: '', time: 0, subject: '' };
        commits.set(sha, current);
      }
      lines.push({ sha, line: Number(header[2]) });
      continue;
    }
    if (!current) continue;
    const space = row.indexOf(' ');
    const key = space < 0 ? row : row.slice(0, space);
    const value = space < 0 ? '' : row.slice(space + 1);
    if (key === 'author') current.author = value;
    else if (key === 'committer-time') current.time = Number(value);
    else if (key === 'summary') current.subject = value;
  }
  return { lines, commits };
}


export const logWithFilesFormat = '%x1e%H%x1f%an%x1f%ct%x1f%s';

/** `git log --name-only --format=<logWithFilesFormat>` output: each commit with the files it touched. */
export function parseLogWithFiles(text: string): Array<{ commit: CommitInfo; files: string[] }> {
  return text
    .split('\x1e')
    .filter((record) => record.includes('\x1f'))
    .map((record) => {
      const [head = '', ...rest] = record.split('\n');
      const [sha = '', author = '', time = '0', subject = ''] = head.split('\x1f');
      return { commit: { sha, author, time: Number(time), subject }, files: rest.filter((row) => row.trim() !== '') };
    })
    .filter((entry) => /^[0-9a-f]{40,64}$/.test(entry.commit.sha));
}
