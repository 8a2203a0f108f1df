import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { releaseRefCandidates, resolveRevision } from './revision';
import { createTestRepo, lines, type TestRepo } from '@triage/testing';

describe('release -> ref names to try', () => {
  it.each<[string | null, string[]]>([
    ['v1.2.3', ['v1.2.3', '1.2.3']],
    ['1.2.3', ['1.2.3', 'v1.2.3']],
    ['api@1.2.3', ['api@1.2.3', '1.2.3', 'v1.2.3', 'api-1.2.3']],
    ['@acme/web@2.0.0', ['@acme/web@2.0.0', '2.0.0', 'v2.0.0', 'acme-web-2.0.0']],
    ['api@0a1b2c3d', ['api@0a1b2c3d', '0a1b2c3d', 'api-0a1b2c3d']],
    ['0a1b2c3d4e5f', ['0a1b2c3d4e5f']],
    ['--output=/tmp/x', []],
    ['v1..HEAD', []],
    ['$(touch /tmp/pwned)', []],
    ['', []],
    [null, []],
  ])('%s', (release, expected) => {
    expect(releaseRefCandidates(release)).toEqual(expected);
  });
});

describe('resolving the deployed revision in a real repository', () => {
  let repo: TestRepo;
  const shas: string[] = [];

  beforeAll(async () => {
    repo = await createTestRepo('rev');
    shas.push(await repo.commit({ 'a.ts': lines(3) }, 'one', '2026-01-01T00:00:00Z'));
    await repo.git('tag', 'v1.0.0');
    shas.push(await repo.commit({ 'a.ts': lines(4) }, 'two', '2026-01-10T00:00:00Z'));
    await repo.git('tag', 'api-2.0.0');
    shas.push(await repo.commit({ 'a.ts': lines(5) }, 'three', '2026-01-20T00:00:00Z'));
  });
  afterAll(() => repo.remove());

  it.each<[string, string | null, string | null, number, string]>([
    ['full sha', 'SHA0', null, 0, 'release'],
    ['abbreviated sha', 'SHORT1', null, 1, 'release'],
    ['name@sha', 'api@SHORT0', null, 0, 'release'],
    ['tag v1.0.0 from 1.0.0', '1.0.0', null, 0, 'release'],
    ['name@version to name-version', 'api@2.0.0', null, 1, 'release'],
    ['unknown release: newest commit at or before first seen', 'nope@9.9.9', '2026-01-15T00:00:00Z', 1, 'first-seen'],
    ['no release, no first seen: the default branch', null, null, 2, 'default-branch'],
  ])('%s', async (_label, release, firstSeen, expectedIndex, source) => {
    const text = release?.replace('SHA0', shas[0]!).replace('SHORT1', shas[1]!.slice(0, 8)).replace('SHORT0', shas[0]!.slice(0, 9)) ?? null;
    const revision = await resolveRevision(repo.root, text, firstSeen ? new Date(firstSeen) : null);
    expect(revision?.sha).toBe(shas[expectedIndex]);
    expect(revision?.source).toBe(source);
    expect(revision?.why.length).toBeGreaterThan(20);
  });
});
