import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '@triage/config';
import { git, gitTopLevel } from './git';
import { parseReposFile, singleRepo, type RepoConfig } from './repos-config';

export interface RepositoryCheck {
  project: string;
  path: string;
  ok: boolean;
  /** Why it cannot be investigated (missing, not a git checkout), in one line. */
  problem?: string;
}

/** REPOS_FILE (parsed, problems as `file:line: ...`) or REPO_PATH; an empty map when neither is set. */
export function loadRepoMap(config: Pick<Config, 'repo'>): { repos: Map<string, RepoConfig>; problems: string[] } {
  if (config.repo.reposFile) {
    const file = path.resolve(config.repo.reposFile);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      return { repos: new Map(), problems: [`REPOS_FILE ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`] };
    }
    return parseReposFile(text, file);
  }
  if (config.repo.path) return { repos: singleRepo(config.repo.path, config.repo.webUrl), problems: [] };
  return { repos: new Map(), problems: [] };
}

/**
 * Every configured checkout: present and a git repository? For start-up and `triage health`; one line per problem.
 */
export async function checkRepositories(config: Pick<Config, 'repo'>): Promise<RepositoryCheck[]> {
  const { repos, problems } = loadRepoMap(config);
  const checks: RepositoryCheck[] = problems.map((problem) => ({ project: '*', path: config.repo.reposFile ?? '', ok: false, problem }));
  for (const [project, repo] of repos) {
    const resolved = path.resolve(repo.path);
    if (!fs.existsSync(resolved)) {
      checks.push({ project, path: resolved, ok: false, problem: `${resolved} does not exist` });
      continue;
    }
    const top = await gitTopLevel(resolved, { timeoutMs: 5_000 });
    checks.push(top ? { project, path: resolved, ok: true } : { project, path: resolved, ok: false, problem: `${resolved} is not a git repository` });
  }
  return checks;
}

/**
 * `git fetch` of each configured checkout's remotes: objects and remote-tracking refs only, never the working tree or
 * the checked-out branch. A checkout without a remote is reported, not an error.
 */
export async function fetchCheckouts(config: Pick<Config, 'repo'>, onlyProject?: string): Promise<RepositoryCheck[]> {
  const { repos, problems } = loadRepoMap(config);
  const results: RepositoryCheck[] = problems.map((problem) => ({ project: '*', path: config.repo.reposFile ?? '', ok: false, problem }));
  const seen = new Set<string>();
  for (const [project, repo] of repos) {
    if (onlyProject && project !== onlyProject) continue;
    const resolved = path.resolve(repo.path);
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    const top = await gitTopLevel(resolved, { timeoutMs: 5_000 });
    if (!top) {
      results.push({ project, path: resolved, ok: false, problem: fs.existsSync(resolved) ? `${resolved} is not a git repository` : `${resolved} does not exist` });
      continue;
    }
    const remotes = (await git(top, ['remote'], { timeoutMs: 5_000 })).split('\n').filter(Boolean);
    let problem: string | undefined = remotes.length === 0 ? 'no git remote to fetch from' : undefined;
    if (!problem) {
      try {
        await git(top, ['fetch', '--all', '--prune', '--tags', '--quiet', '--no-write-fetch-head', '--no-recurse-submodules'], { timeoutMs: 120_000 });
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
    }
    // A commit-graph with changed-path Bloom filters makes blame and path-limited log several times faster on long
    // histories; it lives in .git/objects/info, never in the working tree.
    await git(top, ['commit-graph', 'write', '--reachable', '--changed-paths'], { timeoutMs: 120_000 }).catch(() => undefined);
    results.push(problem ? { project, path: resolved, ok: false, problem } : { project, path: resolved, ok: true });
  }
  return results;
}
