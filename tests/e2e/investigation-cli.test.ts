import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { createGlitchTipFake, createTestRepo, lines, repoRoot, type TestRepo } from '@triage/testing';

const apiToken = 'c'.repeat(64);

/** `triage investigate` as a user runs it: a real process, a real repository, the GlitchTip fake. */
describe('triage investigate (CLI)', () => {
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read'] });
  let repo: TestRepo;
  let culprit: string;
  let stackFile: string;
  let plainDir: string;

  const cli = (args: string[], env: Record<string, string> = {}) =>
    execa('node', ['bin/triage.js', 'investigate', ...args], {
      cwd: repoRoot,
      reject: false,
      env: { NODE_OPTIONS: '', REDIS_URL: '', DATABASE_URL: '', GLITCHTIP_BASE_URL: '', GLITCHTIP_API_TOKEN: '', REPO_PATH: '', REPOS_FILE: '', LOG_LEVEL: 'error', DATA_DIR: plainDir, ...env },
      extendEnv: true,
    });

  beforeAll(async () => {
    repo = await createTestRepo('cli');
    await repo.commit({ 'src/db/pool.ts': lines(50), 'app/views.py': lines(30, {}, 'py') }, 'initial', '2026-02-01T00:00:00Z');
    culprit = await repo.commit({ 'src/db/pool.ts': lines(50, { 20: 'throw new TypeError("pool is closed")' }) }, 'pool: throw when closed', '2026-03-01T00:00:00Z', 'Ana');
    plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-cli-'));
    stackFile = path.join(plainDir, 'trace.txt');
    fs.writeFileSync(stackFile, 'TypeError: pool is closed\n    at Pool.connect (/app/dist/db/pool.js:20:11)\n    at main (/app/node_modules/x/index.js:1:1)\n');
    await glitchtip.start();
    glitchtip.seedIssue({ id: 4001, title: 'TypeError: pool is closed', firstSeen: '2026-03-05T00:00:00Z' });
    glitchtip.seedEvent(4001, { exceptions: [{ type: 'TypeError', value: 'pool is closed', frames: [{ filename: '/app/src/db/pool.ts', function: 'connect', lineno: 20, in_app: true }] }] });
  }, 30_000);

  afterAll(async () => {
    await glitchtip.stop();
    repo.remove();
    fs.rmSync(plainDir, { recursive: true, force: true });
  });

  it('--stack --json: suspects ranked with sha and reasons, mapping, revision and timings', async () => {
    const result = await cli(['--stack', stackFile, '--repo', repo.root, '--json']);
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout) as { suspects: Array<{ sha: string; reasons: string[] }>; mapping: Array<{ file: string | null }>; revision: { sha: string }; timings: Record<string, number> };
    expect(json.suspects[0]!.sha).toBe(culprit);
    expect(json.suspects[0]!.reasons[0]).toContain('changed line 20 of src/db/pool.ts');
    expect(json.mapping.map((frame) => frame.file)).toEqual(['src/db/pool.ts', null]);
    expect(json.revision.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(json.timings.total).toBeGreaterThanOrEqual(0);
  }, 30_000);

  it('<issueId> --dry-run prints the markdown report and queues nothing', async () => {
    const result = await cli(['4001', '--dry-run'], { GLITCHTIP_BASE_URL: glitchtip.url, GLITCHTIP_API_TOKEN: apiToken, GLITCHTIP_ORG: 'acme', REPO_PATH: repo.root });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Triage investigation');
    expect(result.stdout).toContain(culprit.slice(0, 12));
    expect(result.stderr).toContain('dry run');
    expect(glitchtip.commentsOf(4001)).toHaveLength(0);
  }, 30_000);

  it.each<[string, string[], Record<string, string>, RegExp]>([
    ['an unknown issue', ['999999', '--dry-run'], { REPO_PATH: '.' }, /^triage investigate: unknown issue 999999: GlitchTip has no such issue$/],
    ['an unreachable GlitchTip', ['4001', '--dry-run'], { GLITCHTIP_BASE_URL: 'http://127.0.0.1:9', REPO_PATH: '.' }, /^triage investigate: GlitchTip unreachable at http:\/\/127\.0\.0\.1:9: .+$/],
    ['a path that is not a git repository', ['--stack', 'TRACE', '--repo', 'PLAIN'], {}, /^triage investigate: .+ is not a git repository$/],
    ['a trace file without frames', ['--stack', 'EMPTY', '--repo', '.'], {}, /^triage investigate: .+ holds no Node, TypeScript or Python stack frames$/],
    ['neither an issue nor --stack', [], {}, /^triage investigate: give an issue id, or --stack <file>$/],
  ])('exits 1 with one line for %s', async (_label, args, env, expected) => {
    const empty = path.join(plainDir, 'empty.txt');
    fs.writeFileSync(empty, 'nothing here\n');
    const resolved = args.map((arg) => arg.replace('TRACE', stackFile).replace('PLAIN', plainDir).replace('EMPTY', empty));
    const result = await cli(resolved, { GLITCHTIP_BASE_URL: glitchtip.url, GLITCHTIP_API_TOKEN: apiToken, GLITCHTIP_ORG: 'acme', ...env });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(expected);
  }, 30_000);
});
