import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { CrashFrame } from './frames';
import { rankSuspects, type SuspectCandidate } from './rank';
import { runInvestigation } from './run-investigation';
import { createTestRepo, lines, type TestRepo } from '@triage/testing';

const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}T12:00:00Z`;
const firstSeen = new Date('2026-03-28T12:00:00Z');
const now = new Date('2026-04-01T00:00:00Z');
const frame = (filePath: string, lineNo: number, fn = 'fn'): CrashFrame => ({ path: filePath, absPath: filePath, function: fn, module: null, lineNo, colNo: 1, inApp: true, contextLine: null });

async function investigate(repo: TestRepo, frames: CrashFrame[], release: string | null = null) {
  return runInvestigation({
    issueId: '1',
    title: 'TypeError: boom',
    project: 'backend',
    release,
    firstSeen,
    crash: { exceptionType: 'TypeError', message: 'boom', frames, source: 'event' },
    repo: { path: repo.root, webUrl: 'https://git.example.com/acme/api', stripPrefixes: [] },
    now,
  });
}

const repos: TestRepo[] = [];
async function newRepo(): Promise<TestRepo> {
  const repo = await createTestRepo('rank');
  repos.push(repo);
  return repo;
}
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

describe('suspect ranking on real repositories', () => {
  it('puts the commit that introduced the throwing line first, above later unrelated changes to the file', async () => {
    const repo = await newRepo();
    await repo.commit({ 'src/db/pool.ts': lines(100) }, 'initial pool', day(1));
    const culprit = await repo.commit({ 'src/db/pool.ts': lines(100, { 20: 'throw new Error(pool.closed)' }) }, 'pool: throw when closed', day(10), 'Ana');
    await repo.commit({ 'src/db/pool.ts': lines(100, { 20: 'throw new Error(pool.closed)', 60: '// tuned' }) }, 'pool: tune size', day(20), 'Bo');
    await repo.commit({ 'src/db/pool.ts': lines(100, { 20: 'throw new Error(pool.closed)', 60: '// tuned', 90: '// docs' }) }, 'pool: docs', day(26), 'Cy');
    const result = await investigate(repo, [frame('/app/dist/db/pool.js', 20, 'Pool.connect')]);
    expect(result.mapping[0]).toMatchObject({ file: 'src/db/pool.ts', line: 20 });
    expect(result.revision?.source).toBe('first-seen');
    expect(result.suspects[0]!.sha).toBe(culprit);
    expect(result.suspects[0]!.reasons[0]).toBe('changed line 20 of src/db/pool.ts 18 days before first seen; frame #1, the throw');
    expect(result.suspects[0]!.url).toBe(`https://git.example.com/acme/api/commit/${culprit}`);
  });

  it('names the crash position of the frame when the throw is in library code, and never blames a library frame', async () => {
    const repo = await newRepo();
    await repo.commit({ 'src/db/pool.ts': lines(100), 'vendor/driver/client.js': lines(50) }, 'initial pool', day(1));
    const culprit = await repo.commit({ 'src/db/pool.ts': lines(100, { 20: 'client.query(sql)' }) }, 'pool: query through the client', day(10), 'Ana');
    const vendored = await repo.commit({ 'vendor/driver/client.js': lines(50, { 5: 'throw new Error("closed")' }) }, 'vendor: bump driver', day(12), 'Bot');
    const library = { ...frame('vendor/driver/client.js', 5, 'Client.query'), inApp: false };
    const result = await investigate(repo, [library, frame('/app/dist/db/pool.js', 20, 'Pool.connect')]);
    expect(result.suspects.map((suspect) => suspect.sha)).not.toContain(vendored);
    expect(result.suspects[0]!.sha).toBe(culprit);
    expect(result.suspects[0]!.reasons[0]).toBe('changed line 20 of src/db/pool.ts 18 days before first seen; frame #2, 1 call below the throw');
  });

  it('honours .git-blame-ignore-revs: a reformatting commit on the line gives way to the commit before it', async () => {
    const repo = await newRepo();
    await repo.commit({ 'src/db/pool.ts': lines(100) }, 'initial pool', day(1));
    const trueCause = await repo.commit({ 'src/db/pool.ts': lines(100, { 20: 'throw new Error(pool.closed)' }) }, 'pool: throw when closed', day(10), 'Ana');
    const reformat = await repo.commit({ 'src/db/pool.ts': lines(100, { 20: '  throw new Error( pool.closed );' }) }, 'style: reformat everything', day(25), 'Bot');
    await repo.commit({ '.git-blame-ignore-revs': `# formatting\n${reformat}\n` }, 'ignore the reformat in blame', day(26));
    const result = await investigate(repo, [frame('src/db/pool.ts', 20)]);
    expect(result.suspects[0]!.sha).toBe(trueCause);
    expect(result.suspects.map((suspect) => suspect.sha)).not.toContain(reformat);
  });

  it('never ranks a commit made after first seen first, even on the exact line of the deployed release', async () => {
    const repo = await newRepo();
    await repo.commit({ 'src/db/pool.ts': lines(100) }, 'initial pool', day(1));
    const before = await repo.commit({ 'src/db/pool.ts': lines(100, { 21: 'const pool = get()' }) }, 'pool: near the line', day(20), 'Ana');
    const after = await repo.commit({ 'src/db/pool.ts': lines(100, { 21: 'const pool = get()', 20: 'throw new Error(x)' }) }, 'pool: after first seen', day(30), 'Bo');
    const result = await investigate(repo, [frame('src/db/pool.ts', 20)], after);
    expect(result.revision?.source).toBe('release');
    expect(result.suspects[0]!.sha).toBe(before);
    const late = result.suspects.find((suspect) => suspect.sha === after);
    expect(late?.afterFirstSeen).toBe(true);
    expect(late?.reasons[0]).toContain('after first seen (cannot have caused it)');
  });

  it('blames the deployed release, not the checkout 30 commits ahead where the line moved', async () => {
    const repo = await newRepo();
    await repo.commit({ 'src/db/pool.ts': lines(100) }, 'initial pool', day(1));
    const culprit = await repo.commit({ 'src/db/pool.ts': lines(100, { 20: 'throw new Error(pool.closed)' }) }, 'pool: throw when closed', day(5), 'Ana');
    await repo.git('tag', 'v1.2.0');
    let content = lines(100, { 20: 'throw new Error(pool.closed)' });
    for (let index = 0; index < 30; index += 1) {
      content = `// header ${index}\n${content}`;
      await repo.commit({ 'src/db/pool.ts': content }, `add header ${index}`, `2026-03-${String(6 + Math.floor(index / 2)).padStart(2, '0')}T${String(10 + (index % 2)).padStart(2, '0')}:00:00Z`, 'Later');
    }
    expect(fs.readFileSync(path.join(repo.root, 'src/db/pool.ts'), 'utf8').split('\n')[49]).toBe('throw new Error(pool.closed)');
    const result = await investigate(repo, [frame('/app/src/db/pool.ts', 20)], 'api@1.2.0');
    expect(result.revision).toMatchObject({ source: 'release', ref: 'v1.2.0' });
    expect(result.revision?.why).toContain('api@1.2.0');
    expect(result.suspects[0]!.sha).toBe(culprit);
    expect(result.mapping[0]!.context.find((row) => row.line === 20)?.text).toBe('throw new Error(pool.closed)');
  });

  it('keeps the caller three frames down in the top 3 when the bug is there', async () => {
    const repo = await newRepo();
    const files = { 'src/a.ts': lines(40), 'src/b.ts': lines(40), 'src/c.ts': lines(40), 'src/d.ts': lines(40) };
    await repo.commit(files, 'initial import', '2025-06-01T00:00:00Z', 'Old');
    await repo.commit({ 'src/a.ts': lines(40, { 11: '// a tweak' }) }, 'a: tweak', day(1), 'P');
    await repo.commit({ 'src/b.ts': lines(40, { 9: '// b tweak' }) }, 'b: tweak', day(3), 'Q');
    await repo.commit({ 'src/c.ts': lines(40, { 12: '// c tweak' }) }, 'c: tweak', day(5), 'R');
    const caller = await repo.commit({ 'src/d.ts': lines(40, { 30: 'a(undefined)' }) }, 'd: pass the value on', day(26), 'Dee');
    const result = await investigate(repo, [frame('src/a.ts', 10), frame('src/b.ts', 10), frame('src/c.ts', 10), frame('src/d.ts', 30)]);
    expect(result.suspects.slice(0, 3).map((suspect) => suspect.sha)).toContain(caller);
    expect(result.suspects.find((suspect) => suspect.sha === caller)?.reasons[0]).toContain('frame #4, 3 calls below the throw');
  });

  it('says so when the path is not a git repository', async () => {
    const dir = fs.mkdtempSync(path.join(path.dirname((await newRepo()).root), 'triage-plain-'));
    const result = await runInvestigation({ issueId: '1', title: 't', project: null, release: null, firstSeen, crash: { exceptionType: null, message: null, frames: [frame('a.ts', 1)], source: 'event' }, repo: { path: dir, webUrl: undefined, stripPrefixes: [] } });
    expect(result.notes.join(' ')).toContain('is not a git repository');
    fs.rmSync(dir, { recursive: true });
  });

  it('ends a run at the hard timeout with a partial result naming the step', async () => {
    const repo = await newRepo();
    await repo.commit({ 'src/a.ts': lines(10) }, 'initial', day(1));
    const result = await runInvestigation({
      issueId: '1', title: 't', project: null, release: null, firstSeen, now,
      crash: { exceptionType: null, message: null, frames: [frame('src/a.ts', 1)], source: 'event' },
      repo: { path: repo.root, webUrl: undefined, stripPrefixes: [] },
      timeoutMs: 3_000,
      findSimilar: () => new Promise(() => undefined),
    });
    expect(result.timedOut?.step).toBe('similar');
    expect(result.suspects.length).toBeGreaterThan(0);
  });
});

describe('rankSuspects (pure)', () => {
  const commit = (sha: string, isoDate: string) => ({ sha: sha.repeat(40).slice(0, 40), author: sha, time: Date.parse(isoDate) / 1000, subject: sha });
  it.each<[string, SuspectCandidate[], string]>([
    ['exact line beats near lines of a newer commit', [
      { commit: commit('a', day(1)), evidence: [{ kind: 'exact-line', frame: 0, file: 'f', line: 1 }] },
      { commit: commit('b', day(27)), evidence: [{ kind: 'near-line', frame: 0, file: 'f', line: 2, distance: 1 }, { kind: 'file-history', frame: 0, file: 'f' }] },
    ], 'a'],
    ['the throw frame beats a deep frame of the same age', [
      { commit: commit('c', day(20)), evidence: [{ kind: 'exact-line', frame: 5, file: 'f', line: 1 }] },
      { commit: commit('d', day(20)), evidence: [{ kind: 'exact-line', frame: 0, file: 'g', line: 1 }] },
    ], 'd'],
    ['after first seen is never first, whatever its score', [
      { commit: commit('e', '2026-03-29T00:00:00Z'), evidence: [{ kind: 'exact-line', frame: 0, file: 'f', line: 1 }] },
      { commit: commit('f', '2025-01-01T00:00:00Z'), evidence: [{ kind: 'file-history', frame: 9, file: 'f' }] },
    ], 'f'],
  ])('%s', (_label, candidates, expectedFirst) => {
    expect(rankSuspects(candidates, firstSeen, now)[0]!.author).toBe(expectedFirst);
  });
});
