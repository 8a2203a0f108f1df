// Real git repositories with known commits and dates, for investigation tests and the benchmark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

export interface TestRepo {
  /** realpath of the work tree. */
  root: string;
  /** Writes (or, with null, deletes) files and commits them at `date`; returns the commit sha. */
  commit(files: Record<string, string | null>, message: string, date: string, author?: string): Promise<string>;
  git(...args: string[]): Promise<string>;
  remove(): void;
}

export async function createTestRepo(name = 'repo'): Promise<TestRepo> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `triage-${name}-`)));
  const run = async (args: string[], env: Record<string, string> = {}) =>
    (await execa('git', args, { cwd: root, env: { GIT_CONFIG_NOSYSTEM: '1', HOME: root, ...env } })).stdout;
  await run(['init', '-q', '-b', 'main']);
  await run(['config', 'user.email', 'dev@example.com']);
  await run(['config', 'user.name', 'Dev']);
  await run(['config', 'commit.gpgsign', 'false']);
  return {
    root,
    async commit(files, message, date, author = 'Dev') {
      for (const [file, content] of Object.entries(files)) {
        const target = path.join(root, file);
        if (content === null) fs.rmSync(target, { force: true });
        else {
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.writeFileSync(target, content);
        }
      }
      await run(['add', '-A']);
      await run(['commit', '-q', '--allow-empty', '-m', message, `--author=${author} <${author.toLowerCase().replace(/\W/g, '')}@example.com>`], {
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      });
      return (await run(['rev-parse', 'HEAD'])).trim();
    },
    git: (...args) => run(args),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** `count` numbered lines, with `overrides` (1-based line -> text). */
export function lines(count: number, overrides: Record<number, string> = {}, label = 'line'): string {
  return Array.from({ length: count }, (_, index) => overrides[index + 1] ?? `// ${label} ${index + 1}`).join('\n') + '\n';
}
