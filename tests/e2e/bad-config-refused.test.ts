import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { findFreePort } from '@triage/embedded';
import { createTestDatabase, repoRoot, startTsProcess, testRedisUrl, type TestDatabase } from '@triage/testing';

/**
 * Issue 10 item 18: a routes file the worker cannot use made it exit and restart in a loop while the ingress kept
 * answering 202 (every alert accepted, none delivered). Now `triage start` and each role refuse to start.
 */
describe('a bad ROUTES_FILE stops start-up before any process runs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bad-routes-'));
  const badRoutes = path.join(dir, 'routes.yaml');
  fs.writeFileSync(badRoutes, 'routes:\n  - match: { project: web }\n    chat_id: general\n  - chat_id: -100123\n    message_thread_id: -4\n');
  const missingRoutes = path.join(dir, 'missing.yaml');
  const expectedLines = [
    `  - ${badRoutes}:3:14: routes[0].chat_id: must be a numeric chat id (e.g. -1001234567890) or @channelusername`,
    `  - ${badRoutes}:5:24: routes[1].message_thread_id: must be a positive forum topic id`,
  ];
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('`triage start` exits 1 listing each bad line, and nothing listens', async () => {
    database = await createTestDatabase({ migrate: false });
    const port = await findFreePort();
    const dataDir = path.join(dir, 'data');
    const result = await execa('node', ['bin/triage.js', 'start'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_OPTIONS: '',
        CI: 'true',
        DATA_DIR: dataDir,
        PORT: String(port),
        REDIS_URL: testRedisUrl(),
        DATABASE_URL: database.url,
        TELEGRAM_BOT_TOKEN: '123:fake',
        ROUTES_FILE: badRoutes,
      },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['Invalid configuration:', ...expectedLines]);
    expect(result.stdout).not.toContain('Triage is running');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    // Not even the data directory was made: the check ran before anything else.
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('`triage start` exits 1 naming each bad line of REPOS_FILE', async () => {
    const reposFile = path.join(dir, 'repos.yaml');
    fs.writeFileSync(reposFile, 'projects:\n  backend:\n    path: /srv/backend\n    web_url: https://git.example.com/backend\n  "bad slug!": /srv/x\n');
    const result = await execa('node', ['bin/triage.js', 'start'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', CI: 'true', DATA_DIR: path.join(dir, 'data-repos'), REPOS_FILE: reposFile, REDIS_URL: testRedisUrl() },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['Invalid configuration:', `  - ${reposFile}:5: "bad slug!" is not a project slug`]);
    expect(fs.existsSync(path.join(dir, 'data-repos'))).toBe(false);
  });

  it.each(['apps/ingress/src/main.ts', 'apps/worker/src/main.ts', 'apps/bot/src/main.ts'])('%s alone exits 1 naming an unreadable routes file', async (entry) => {
    const role = startTsProcess(entry, [], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: 'postgres://triage:x@127.0.0.1:9/triage',
      WEBHOOK_TOKEN: 'a-webhook-token-of-32-characters',
      TELEGRAM_BOT_TOKEN: '123:fake',
      PORT: String(await findFreePort()),
      ROUTES_FILE: missingRoutes,
    });
    expect(await role.exited).toBe(1);
    expect(role.output()).toContain(`ROUTES_FILE: cannot read ${missingRoutes}: no such file`);
    expect(role.output()).not.toContain('listening');
  });
});
