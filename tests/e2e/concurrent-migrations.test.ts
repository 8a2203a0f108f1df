import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import postgres from 'postgres';
import { createTestDatabase, repoRoot, type TestDatabase } from '@triage/testing';

/** PM2 and Docker start several workers at once, each migrating (issue 10: "migrations of an empty database from several processes at once"). */
describe('`triage migrate` from several processes at once on an empty database', () => {
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await database?.drop();
  });

  it('applies every migration exactly once, and every process succeeds', async () => {
    database = await createTestDatabase({ migrate: false });
    const migrate = () =>
      execa('node', ['bin/triage.js', 'migrate'], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', CI: 'true', DATABASE_URL: database!.url, LOG_LEVEL: 'warn' },
        extendEnv: false,
        reject: false,
        timeout: 90_000,
      });
    const results = await Promise.all([migrate(), migrate(), migrate(), migrate()]);

    expect(results.map((result) => result.exitCode)).toEqual([0, 0, 0, 0]);
    const journal = JSON.parse(fs.readFileSync(path.join(repoRoot, 'drizzle', 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    const applied = results.map((result) => Number(/Applied (\d+) migration/.exec(result.stdout)?.[1] ?? 0));
    // One process did the work; the others waited on the lock and found nothing left to do.
    expect(applied.reduce((sum, count) => sum + count, 0)).toBe(journal.entries.length);
    expect(results.filter((result) => result.stdout.includes('Database schema is up to date.'))).toHaveLength(3);
    const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    try {
      const [row] = await sql<{ count: number; distinct: number }[]>`select count(*)::int as count, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations`;
      expect(row).toEqual({ count: journal.entries.length, distinct: journal.entries.length });
    } finally {
      await sql.end();
    }
  });
});
