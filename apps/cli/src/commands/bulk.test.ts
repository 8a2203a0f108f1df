import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { execa } from 'execa';
import postgres from 'postgres';
import { createGlitchTipFake, createTestDatabase, repoRoot, type TestDatabase } from '@triage/testing';

const token = 'cli-bulk-token-0123456789abcdefghijklmnop';

/** `triage bulk` as an operator runs it, against a GlitchTip fake and a fresh database. */
describe('triage bulk', () => {
  const fake = createGlitchTipFake({ token, scopes: ['event:read', 'event:write', 'org:read'] });
  let database: TestDatabase;
  let dataDir: string;

  const triage = (args: string[]) =>
    execa('node', ['bin/triage.js', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', DATA_DIR: dataDir, DATABASE_URL: database.url, GLITCHTIP_BASE_URL: fake.url, GLITCHTIP_API_TOKEN: token, GLITCHTIP_ORG: 'acme', LOG_LEVEL: 'warn' },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });

  beforeAll(async () => {
    await fake.start();
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-cli-bulk-'));
    for (let index = 0; index < 7; index += 1) fake.seedIssue({ title: `KeyError: staging ${index}`, level: 'error', tags: { environment: 'staging' }, project: 'backend' });
    fake.seedIssue({ title: 'KeyError: other project', level: 'error', tags: { environment: 'staging' }, project: 'frontend' });
    fake.seedIssue({ title: 'KeyError: production', level: 'error', tags: { environment: 'production' }, project: 'backend' });
  });

  afterAll(async () => {
    await database?.drop();
    await fake.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('previews without --yes, applies with a backup with --yes, and restores it', async () => {
    const before = { ...fake.statuses };
    const preview = await triage(['bulk', 'ignore', '--query', 'environment:staging KeyError', '--project', 'backend']);
    expect(preview.exitCode).toBe(0);
    expect(preview.stdout).toContain('7 issue(s) match "is:unresolved environment:staging KeyError" in project backend');
    expect(preview.stdout).toContain('Run again with --yes');
    expect(fake.statuses).toEqual(before);

    const applied = await triage(['bulk', 'ignore', '--query', 'environment:staging KeyError', '--project', 'backend', '--yes']);
    expect(applied.stderr).toContain('7/7 issues written');
    expect(applied.exitCode).toBe(0);
    const backupId = /Undo with: triage bulk restore (\S+)/.exec(applied.stdout)?.[1];
    expect(backupId).toMatch(/^\d{8}-[0-9a-f]{6}$/);
    expect(fs.existsSync(path.join(dataDir, 'backups', `bulk-${backupId}.json`))).toBe(true);
    const ignored = fake.issues.filter((issue) => issue.status === 'ignored').map((issue) => issue.title).sort();
    expect(ignored).toEqual([...Array(7).keys()].map((index) => `KeyError: staging ${index}`));
    const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    const audits = await sql`select actor, result from audit_log where action = 'bulk.ignore'`;
    await sql.end();
    expect(audits).toHaveLength(1);
    expect(audits[0]?.actor).toMatch(/^cli:/);

    const restored = await triage(['bulk', 'restore', backupId!]);
    expect(restored.exitCode).toBe(0);
    expect(restored.stdout).toContain(`Restored 7 issue(s) of ${backupId}`);
    expect(fake.statuses).toEqual(before);
  });

  it('refuses a bad query in one line with exit 1, before calling GlitchTip', async () => {
    const requests = fake.requests.length;
    const result = await triage(['bulk', 'resolve', '--query', 'is:assigned']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toMatch(/^triage: query refused: is:assigned is not a status/);
    expect(fake.requests.length).toBe(requests);
  });
});
