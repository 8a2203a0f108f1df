import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { createTestDatabase, type TestDatabase } from '@triage/testing';
import { runMigrations } from './migrate';

describe('runMigrations', () => {
  let database: TestDatabase;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    sql = postgres(database.url, { max: 1, onnotice: () => undefined });
  });

  afterAll(async () => {
    await sql.end();
    await database.drop();
  });

  it('creates every table on an empty database', async () => {
    const first = await runMigrations(database.url);
    expect(first.applied).toBeGreaterThanOrEqual(1);
    const tables = await sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['alerts', 'audit_log', 'investigations', 'issue_states', 'metrics_history', 'runbook_links']),
    );
  });

  it('is idempotent, also when several processes migrate at once', async () => {
    const results = await Promise.all([runMigrations(database.url), runMigrations(database.url), runMigrations(database.url)]);
    expect(results.map((result) => result.applied)).toEqual([0, 0, 0]);
  });

  it('enforces one metrics row per date and component', async () => {
    await sql`insert into metrics_history (date, component) values ('2026-11-26', 'api')`;
    await expect(sql`insert into metrics_history (date, component) values ('2026-11-26', 'api')`).rejects.toThrow(/duplicate key/);
  });
});
