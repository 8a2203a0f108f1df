import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestRepo, lines, type TestRepo } from '@triage/testing';
import { searchRepository } from './map-frames';

// The search fallback reads the revision the crash ran, never the checkout's working tree (a real git repository).
describe('searchRepository', () => {
  let repo: TestRepo;
  let revision: string;

  beforeAll(async () => {
    repo = await createTestRepo('search');
    revision = await repo.commit({ 'src/billing/charge.ts': lines(10, { 4: 'throw new Error("card declined by issuer")' }) }, 'charge', '2026-03-01T00:00:00Z');
    // After the release: the line moved in a later commit, then again in the working tree, plus an untracked file.
    await repo.commit({ 'src/billing/charge.ts': lines(10, { 6: 'throw new Error("card declined by issuer")' }) }, 'move', '2026-03-02T00:00:00Z');
    fs.writeFileSync(path.join(repo.root, 'src/billing/charge.ts'), lines(10, { 8: 'throw new Error("card declined by issuer")' }));
    fs.writeFileSync(path.join(repo.root, 'scratch.ts'), 'card declined by issuer\n');
  });

  afterAll(() => repo?.remove());

  it('finds the term where it was at the resolved revision, not in the working tree or untracked files', async () => {
    const hits = await searchRepository(repo.root, revision, ['card declined by issuer']);
    expect(hits).toEqual([{ file: 'src/billing/charge.ts', line: 4, term: 'card declined by issuer' }]);
  });

  it('takes a term starting with a dash as a literal, not an option', async () => {
    expect(await searchRepository(repo.root, revision, ['--no-index'])).toEqual([]);
  });
});
