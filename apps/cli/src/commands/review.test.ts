import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import postgres from 'postgres';
import { createTestDatabase, repoRoot, type TestDatabase } from '@triage/testing';

describe('triage review', () => {
  let database: TestDatabase;
  let dataDir: string;

  const triage = (args: string[]) =>
    execa('node', ['bin/triage.js', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', DATA_DIR: dataDir, DATABASE_URL: database.url, REPORT_TZ: 'Europe/Berlin', EXPERIMENT_HOLDOUT_PERCENT: '20', LOG_LEVEL: 'warn' },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-cli-review-'));
  });

  afterAll(async () => {
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the review of the last weeks and writes the chart; --dry-run stores nothing', async () => {
    const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    await sql`insert into episodes (issue_id, seq, state, experiment_group, alerted_at) values ('1', 1, 'open', 'control', now() - interval '8 days')`;
    const before = await sql`select updated_at from episodes`;
    const png = path.join(dataDir, 'review.png');
    const result = await triage(['review', '--weeks', '2', '--dry-run', '--png', png]);
    const after = await sql`select updated_at from episodes`;
    await sql.end();
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Weekly review: \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(Europe\/Berlin\), 2 weeks$/m);
    expect(result.stdout).toContain('Holdout: 20% of new issues in the control group');
    expect(result.stdout).toContain('not enough data yet');
    expect(result.stderr).toContain('Dry run: nothing was stored.');
    expect(fs.statSync(png).size).toBeGreaterThan(1_000);
    expect(after).toEqual(before);
  });

  it('refuses a bad --weeks in one line with exit 1', async () => {
    const result = await triage(['review', '--weeks', '0']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('triage: --weeks must be a whole number from 1 to 26, got "0"');
  });
});
