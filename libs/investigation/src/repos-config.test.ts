import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { checkRepositories, fetchCheckouts } from './check-repositories';
import { resolveRevision } from './revision';
import { parseReposFile, repoForProject, singleRepo } from './repos-config';
import { createTestRepo } from '@triage/testing';

describe('REPOS_FILE', () => {
  it('reads projects with path, web URL and prefixes to strip', () => {
    const { repos, problems } = parseReposFile(
      ['projects:', '  backend:', '    path: /srv/checkouts/api', '    web_url: https://github.com/acme/api/', '    strip_prefixes: [/srv/api/]', '  web: /srv/checkouts/web'].join('\n'),
      'repos.yml',
    );
    expect(problems).toEqual([]);
    expect(repos.get('backend')).toEqual({ path: '/srv/checkouts/api', webUrl: 'https://github.com/acme/api', stripPrefixes: ['/srv/api/'] });
    expect(repos.get('web')).toEqual({ path: '/srv/checkouts/web', webUrl: undefined, stripPrefixes: [] });
    expect(repoForProject(repos, 'backend')?.path).toBe('/srv/checkouts/api');
    expect(repoForProject(repos, 'other')).toBeUndefined();
    expect(repoForProject(singleRepo('/r', undefined), 'other')?.path).toBe('/r');
  });

  it.each([
    ['projects:\n  backend:\n    web_url: ftp://x\n    colour: red\n', ['repos.yml:2: backend: path is required (the git checkout of the project)', 'repos.yml:2: backend: web_url must be an http(s) URL', 'repos.yml:4: backend: unknown key "colour" (path, web_url, strip_prefixes)']],
    ['projects:\n  api:\n    path: /x\n    strip_prefixes: /app/\n', ['repos.yml:4: api: strip_prefixes must be a list of strings']],
    ['projects: [a, b]\n', ['repos.yml:1: expected a map of GlitchTip project slugs (projects: { backend: { path: ... } })']],
    ['projects:\n  backend: [\n', ['repos.yml:3:']],
  ])('names the file and line of each problem (%#)', (text, expected) => {
    const { problems } = parseReposFile(text, 'repos.yml');
    if (expected.length === 1 && expected[0]!.endsWith(':')) expect(problems[0]).toMatch(/^repos\.yml:\d+: /);
    else expect(problems.sort()).toEqual(expected.sort());
  });
});

describe('checkRepositories', () => {
  it('reports a missing path and a directory that is not a git checkout, one line each', async () => {
    const repo = await createTestRepo('check');
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-plain-'));
    const file = path.join(plain, 'repos.yml');
    fs.writeFileSync(file, `projects:\n  ok: { path: ${repo.root} }\n  plain: { path: ${plain} }\n  gone: { path: ${plain}/missing }\n`);
    const checks = await checkRepositories({ repo: { path: undefined, webUrl: undefined, reposFile: file, fetchCron: '*/10 * * * *' } });
    expect(checks).toEqual([
      { project: 'ok', path: repo.root, ok: true },
      { project: 'plain', path: plain, ok: false, problem: `${plain} is not a git repository` },
      { project: 'gone', path: `${plain}/missing`, ok: false, problem: `${plain}/missing does not exist` },
    ]);
    repo.remove();
    fs.rmSync(plain, { recursive: true });
  });
});

describe('fetchCheckouts', () => {
  it('fetches new history into remote-tracking refs without touching the working tree; investigations then see it', async () => {
    const origin = await createTestRepo('origin');
    await origin.commit({ 'a.ts': 'one\n' }, 'one', '2026-01-01T00:00:00Z');
    const cloneDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-clone-'));
    await execa('git', ['clone', '-q', origin.root, cloneDir]);
    const newer = await origin.commit({ 'a.ts': 'two\n' }, 'two', '2026-01-02T00:00:00Z');
    fs.writeFileSync(path.join(cloneDir, 'local-edit.txt'), 'uncommitted work\n');
    const results = await fetchCheckouts({ repo: { path: cloneDir, webUrl: undefined, reposFile: undefined, fetchCron: '*/10 * * * *' } });
    expect(results).toEqual([{ project: '*', path: cloneDir, ok: true }]);
    expect(fs.readFileSync(path.join(cloneDir, 'a.ts'), 'utf8')).toBe('one\n');
    expect(fs.readFileSync(path.join(cloneDir, 'local-edit.txt'), 'utf8')).toBe('uncommitted work\n');
    const revision = await resolveRevision(fs.realpathSync(cloneDir), null, null);
    expect(revision).toMatchObject({ sha: newer, source: 'default-branch', ref: 'refs/remotes/origin/HEAD' });
    origin.remove();
    fs.rmSync(cloneDir, { recursive: true, force: true });
  });
});
