import fs from 'node:fs/promises';
import { parseRunbook } from './parse-runbook';
import { prepareRunbook, type PreparedRunbook } from './prepare-runbooks';
import { listRunbookFiles } from './runbook-files';
import { formatProblem, type RunbookProblem } from './runbook';

export interface RunbookStoreOptions {
  dir: string;
  /** How long a loaded set is trusted before file times are looked at again (default 2 s). */
  checkEveryMs?: number;
  /** Told about files that fail to parse; their last good version stays in use. */
  onProblems?: (problems: RunbookProblem[]) => void;
  now?: () => number;
}

interface Loaded {
  /** file -> mtime and size when read */
  stamps: Map<string, string>;
  /** file -> its runbook (last good version when the file now fails to parse) */
  byFile: Map<string, PreparedRunbook>;
}

/**
 * The runbooks of a directory, re-read when a file is added, removed or changed: every process (worker, ingress)
 * sees an edited runbook within `checkEveryMs`, without a restart and without file watchers (which miss edits on
 * some mounts). A file that stops parsing keeps its last good version, and the problem is reported once per change.
 */
export class RunbookStore {
  private loaded: Loaded = { stamps: new Map(), byFile: new Map() };
  private checkedAt = -Infinity;
  private refreshing: Promise<void> | undefined;
  private readonly checkEveryMs: number;
  private readonly now: () => number;

  constructor(private options: RunbookStoreOptions) {
    this.checkEveryMs = options.checkEveryMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  reportProblemsTo(onProblems: NonNullable<RunbookStoreOptions['onProblems']>): void {
    this.options = { ...this.options, onProblems };
  }

  get dir(): string {
    return this.options.dir;
  }

  /** The current runbooks, sorted by name; re-reads changed files first when the last check is older than checkEveryMs. */
  async runbooks(): Promise<PreparedRunbook[]> {
    if (this.now() - this.checkedAt >= this.checkEveryMs) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = undefined;
      });
      await this.refreshing;
    }
    return [...this.loaded.byFile.values()].sort((a, b) => a.runbook.name.localeCompare(b.runbook.name));
  }

  async byName(name: string): Promise<PreparedRunbook | undefined> {
    return (await this.runbooks()).find((prepared) => prepared.runbook.name === name);
  }

  private async refresh(): Promise<void> {
    let files: string[];
    try {
      files = await listRunbookFiles(this.options.dir);
    } catch (error) {
      this.report([{ file: this.options.dir, line: 1, severity: 'error', message: `cannot read the runbooks directory: ${(error as Error).message}` }]);
      this.checkedAt = this.now();
      return;
    }
    const stamps = new Map<string, string>();
    const byFile = new Map<string, PreparedRunbook>();
    const problems: RunbookProblem[] = [];
    for (const file of files) {
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat) continue;
      const stamp = `${stat.mtimeMs}:${stat.size}`;
      stamps.set(file, stamp);
      const previous = this.loaded.byFile.get(file);
      if (previous && this.loaded.stamps.get(file) === stamp) {
        byFile.set(file, previous);
        continue;
      }
      const parsed = parseRunbook(await fs.readFile(file, 'utf8'), file);
      problems.push(...parsed.problems);
      if (parsed.runbook) {
        const { prepared, problems: compileProblems } = prepareRunbook(parsed.runbook);
        problems.push(...compileProblems);
        byFile.set(file, prepared);
      } else if (previous) {
        byFile.set(file, previous);
      }
    }
    this.loaded = { stamps, byFile };
    this.checkedAt = this.now();
    if (problems.length > 0) this.report(problems);
  }

  private report(problems: RunbookProblem[]): void {
    if (this.options.onProblems) this.options.onProblems(problems);
    else for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  }
}

const shared = new Map<string, RunbookStore>();

/** One store per directory and process, so every job and request shares one parsed copy and one mtime check. */
export function sharedRunbookStore(dir: string, onProblems?: RunbookStoreOptions['onProblems']): RunbookStore {
  let store = shared.get(dir);
  if (!store) {
    store = new RunbookStore({ dir, onProblems });
    shared.set(dir, store);
  } else if (onProblems) {
    // The caller with a logger wins over one that left problems to stderr.
    store.reportProblemsTo(onProblems);
  }
  return store;
}
