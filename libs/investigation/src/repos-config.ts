import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

/** One checkout of a monitored application. */
export interface RepoConfig {
  /** Absolute or working-directory-relative path of the git checkout. */
  path: string;
  /** Web base for commit and file links (GitHub, GitLab, Gitea...). */
  webUrl: string | undefined;
  /** Deploy prefixes to strip from frame paths before the usual ones (`/srv/api/`). */
  stripPrefixes: string[];
}

/** Project slug -> checkout; `*` (REPO_PATH) is every project. */
export type RepoMap = ReadonlyMap<string, RepoConfig>;

export interface ReposFileResult {
  repos: Map<string, RepoConfig>;
  /** `file:line: what is wrong`, one per problem; empty when the file is valid. */
  problems: string[];
}

const allowedKeys = new Set(['path', 'web_url', 'strip_prefixes']);

function lineOf(node: YamlNode | null | undefined, counter: LineCounter): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : counter.linePos(offset).line;
}

/**
 * REPOS_FILE: `projects: { <slug>: { path, web_url?, strip_prefixes?: [..] } }` (a top-level map of slugs is accepted
 * too). Problems name the file and line so `triage start` can list them all at once.
 */
export function parseReposFile(text: string, fileName: string): ReposFileResult {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const problems: string[] = document.errors.map((error) => `${fileName}:${error.linePos?.[0]?.line ?? 1}: ${error.message.split('\n')[0]}`);
  const repos = new Map<string, RepoConfig>();
  if (problems.length > 0) return { repos, problems };
  const root = document.contents;
  const projectsNode = isMap(root) && root.has('projects') ? root.get('projects', true) : root;
  if (!isMap(projectsNode)) {
    return { repos, problems: [`${fileName}:${lineOf(root, counter)}: expected a map of GlitchTip project slugs (projects: { backend: { path: ... } })`] };
  }
  for (const pair of projectsNode.items) {
    const slug = isScalar(pair.key) ? String(pair.key.value) : '';
    const at = `${fileName}:${lineOf(pair.key, counter)}`;
    if (!/^[\w.*-]+$/.test(slug)) {
      problems.push(`${at}: ${JSON.stringify(slug)} is not a project slug`);
      continue;
    }
    const value = pair.value as YamlNode | null;
    if (isScalar(value) && typeof value.value === 'string') {
      repos.set(slug, { path: value.value, webUrl: undefined, stripPrefixes: [] });
      continue;
    }
    if (!isMap(value)) {
      problems.push(`${at}: ${slug}: expected { path, web_url, strip_prefixes } or a path`);
      continue;
    }
    for (const item of value.items) {
      const key = isScalar(item.key) ? String(item.key.value) : '';
      if (!allowedKeys.has(key)) problems.push(`${fileName}:${lineOf(item.key as YamlNode, counter)}: ${slug}: unknown key ${JSON.stringify(key)} (path, web_url, strip_prefixes)`);
    }
    const path = value.get('path');
    const webUrl = value.get('web_url');
    const strip = value.get('strip_prefixes', true) as YamlNode | undefined;
    if (typeof path !== 'string' || path.trim() === '') problems.push(`${at}: ${slug}: path is required (the git checkout of the project)`);
    if (webUrl !== undefined && (typeof webUrl !== 'string' || !/^https?:\/\/\S+$/.test(webUrl))) problems.push(`${at}: ${slug}: web_url must be an http(s) URL`);
    let stripPrefixes: string[] = [];
    if (strip !== undefined) {
      if (isSeq(strip) && strip.items.every((item) => isScalar(item) && typeof item.value === 'string')) stripPrefixes = strip.items.map((item) => String((item as { value: unknown }).value));
      else problems.push(`${fileName}:${lineOf(strip, counter)}: ${slug}: strip_prefixes must be a list of strings`);
    }
    if (typeof path === 'string' && path.trim() !== '') {
      repos.set(slug, { path, webUrl: typeof webUrl === 'string' ? webUrl.replace(/\/+$/, '') : undefined, stripPrefixes });
    }
  }
  return { repos, problems };
}

/** REPO_PATH alone: one checkout for every project. */
export function singleRepo(path: string, webUrl: string | undefined): Map<string, RepoConfig> {
  return new Map([['*', { path, webUrl, stripPrefixes: [] }]]);
}

/** The checkout of a project: its own entry, else the catch-all `*`. */
export function repoForProject(repos: RepoMap, projectSlug: string | null | undefined): RepoConfig | undefined {
  return (projectSlug ? repos.get(projectSlug) : undefined) ?? repos.get('*');
}
