import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { RunbookStore } from './runbook-store';
import type { RunbookProblem } from './runbook';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-runbook-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  // A later mtime even on coarse file systems, so the store sees a change.
  const later = new Date(Date.now() + (writes += 1) * 1_000);
  fs.utimesSync(path.join(dir, name), later, later);
};
let writes = 0;

describe('RunbookStore', () => {
  it('re-reads changed files after checkEveryMs, keeps the last good version of a broken one, and reports problems once', async () => {
    let clock = 0;
    const problems: RunbookProblem[][] = [];
    const store = new RunbookStore({ dir, checkEveryMs: 1_000, now: () => clock, onProblems: (found) => problems.push(found) });
    write('a.md', "---\npatterns: ['alpha']\n---\n# Alpha\n");
    write('README.md', '# the index, not a runbook\n');
    expect((await store.runbooks()).map((prepared) => prepared.runbook.title)).toEqual(['Alpha']);

    write('a.md', "---\npatterns: ['alpha']\n---\n# Alpha two\n");
    write('b.md', "---\npatterns: ['beta']\n---\n# Beta\n");
    clock = 500;
    expect((await store.runbooks()).map((prepared) => prepared.runbook.title)).toEqual(['Alpha']);
    clock = 1_000;
    expect((await store.runbooks()).map((prepared) => prepared.runbook.title)).toEqual(['Alpha two', 'Beta']);

    write('b.md', '---\npatterns: [\n---\n# Broken\n');
    clock = 2_000;
    expect((await store.runbooks()).map((prepared) => prepared.runbook.title)).toEqual(['Alpha two', 'Beta']);
    clock = 3_000;
    await store.runbooks();
    expect(problems.map((found) => found.map((problem) => `${path.basename(problem.file)}:${problem.line}`))).toEqual([['b.md:2']]);

    fs.rmSync(path.join(dir, 'b.md'));
    clock = 4_000;
    expect((await store.runbooks()).map((prepared) => prepared.runbook.name)).toEqual(['a']);
    expect(await store.byName('a')).toBeDefined();
    expect(await store.byName('../a')).toBeUndefined();
  });

  it('reports an unreadable directory and serves nothing instead of throwing', async () => {
    const problems: RunbookProblem[] = [];
    const store = new RunbookStore({ dir: path.join(dir, 'missing'), onProblems: (found) => problems.push(...found) });
    expect(await store.runbooks()).toEqual([]);
    expect(problems[0]?.message).toMatch(/cannot read the runbooks directory/);
  });
});
