import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { repoRoot } from '@triage/testing';

function triage(args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', CI: 'true' };
  return execa('node', ['bin/triage.js', ...args], { cwd: repoRoot, env, extendEnv: false, reject: false, timeout: 60_000 });
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-runbooks-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('triage runbooks', () => {
  it('lint passes on the shipped runbooks with no warnings', async () => {
    const result = await triage(['runbooks', 'lint', 'runbooks']);
    expect(result.stdout).toBe('5 runbooks, 41 patterns: 0 errors, 0 warnings');
    expect(result.exitCode).toBe(0);
  });

  it('the shipped README.md index is up to date', async () => {
    const result = await triage(['runbooks', 'index', 'runbooks', '--check']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('lint exits 1 and prints every problem as file:line', async () => {
    const dir = path.join(scratch, 'bad');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'slow.md'), "---\npatterns:\n  - '(a+)+$'\n---\n# Slow\n\n## Symptoms\n## Diagnosis\n## Fix\n## Prevention\n");
    fs.writeFileSync(path.join(dir, 'broken.md'), '---\npatterns: [unclosed\n---\n# Broken\n');
    const result = await triage(['runbooks', 'lint', dir]);
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/bad\/broken\.md:\d: error: invalid YAML/));
    expect(lines).toContainEqual(expect.stringMatching(/bad\/slow\.md:3: error: pattern \/\(a\+\)\+\$\/ can backtrack catastrophically/));
    expect(lines.at(-1)).toMatch(/^2 runbooks, 1 patterns: 2 errors, 0 warnings$/);
  });

  it('index writes README.md, and --check notices when it goes stale', async () => {
    const dir = path.join(scratch, 'index');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'disk-full.md'), "---\npatterns: ['ENOSPC']\n---\n# Disk full\n");
    expect((await triage(['runbooks', 'index', dir, '--check'])).exitCode).toBe(1);
    expect((await triage(['runbooks', 'index', dir])).exitCode).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('| [Disk full](disk-full.md) | `ENOSPC` | any | 0 | yes |');
    expect((await triage(['runbooks', 'index', dir, '--check'])).exitCode).toBe(0);
  });

  it('a missing directory is one line on stderr and exit 1', async () => {
    const result = await triage(['runbooks', 'lint', '/nonexistent/runbooks']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('triage: cannot read runbooks from /nonexistent/runbooks: no such directory');
  });
});
