import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

// Any fixed number works; it only has to be the same in every Triage process.
const MIGRATION_LOCK_ID = 7_421_001;

/** Applies pending migrations under an advisory lock, so processes starting together do not race. Idempotent. */
export async function runMigrations(url: string): Promise<{ applied: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 10 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    const before = await countApplied(sql);
    await migrate(drizzle(sql), { migrationsFolder });
    const after = await countApplied(sql);
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    return { applied: after - before };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function countApplied(sql: postgres.Sql): Promise<number> {
  const [exists] = await sql<{ present: boolean }[]>`select to_regclass('drizzle.__drizzle_migrations') is not null as present`;
  if (!exists?.present) return 0;
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from drizzle.__drizzle_migrations`;
  return row?.count ?? 0;
}
