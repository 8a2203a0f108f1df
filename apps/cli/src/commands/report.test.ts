import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import postgres from 'postgres';
import { createGlitchTipFake, createTestDatabase, repoRoot, type TestDatabase } from '@triage/testing';

const token = 'cli-report-token-0123456789abcdefghijklmnop';

/** `triage report` as an operator runs it, against a GlitchTip fake and a fresh database. */
describe('triage report', () => {
  const fake = createGlitchTipFake({ token, scopes: ['event:read', 'org:read'], org: 'acme', now: () => new Date('2026-06-20T09:00:00Z') });
  let database: TestDatabase;
  let dataDir: string;

  const triage = (args: string[], env: Record<string, string> = {}) =>
    execa('node', ['bin/triage.js', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', DATA_DIR: dataDir, DATABASE_URL: database.url, GLITCHTIP_BASE_URL: fake.url, GLITCHTIP_API_TOKEN: token, GLITCHTIP_ORG: 'acme', LOG_LEVEL: 'warn', ...env },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });

  beforeAll(async () => {
    await fake.start();
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-cli-report-'));
    fake.seedIssue({ id: 501, title: 'Error: card declined', count: 15, firstSeen: '2026-06-19T10:00:00Z', lastSeen: '2026-06-19T12:00:00Z', tags: { component: 'payments' }, hourly: [[new Date('2026-06-19T10:00:00Z'), 15]] });
  });

  afterAll(async () => {
    await database?.drop();
    await fake.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const storedRows = async () => {
    const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    try {
      return await sql`select component, events from metrics_history where date = '2026-06-19' order by component`;
    } finally {
      await sql.end();
    }
  };

  it('--dry-run prints the day, writes the PNG and stores nothing', async () => {
    const file = path.join(dataDir, 'chart.png');
    const result = await triage(['report', '--date', '2026-06-19', '--dry-run', '--png', file]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Daily report — 2026-06-19 UTC');
    expect(result.stdout).toContain('Events: 15');
    expect(result.stdout).toContain('🔴 P1 payments — 15 events, 1 issue');
    expect(result.stderr).toMatch(/Chart written to .*chart\.png \(800x400 PNG\)/);
    const png = fs.readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(await storedRows()).toEqual([]);
  });

  it('without --dry-run keeps the figures in metrics_history', async () => {
    const result = await triage(['report', '--date', '2026-06-19']);
    expect(result.exitCode).toBe(0);
    expect(await storedRows()).toEqual([
      { component: '*', events: 15 },
      { component: 'payments', events: 15 },
    ]);
  });

  it('refuses a bad date in one line with exit 1', async () => {
    const result = await triage(['report', '--date', '19/06/2026', '--dry-run']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('triage: --date must be YYYY-MM-DD, got "19/06/2026"');
  });
});
