import type { Config } from '@triage/config';
import { runMigrations } from '@triage/db';
import type { Logger } from '@triage/logger';
import { provideServices } from './local-services';

/** `triage migrate`: applies pending migrations to DATABASE_URL, or to the embedded Postgres under DATA_DIR. */
export async function migrateCommand(config: Config, logger: Logger): Promise<void> {
  const services = await provideServices(config, logger, { redis: false, postgres: true });
  try {
    const { applied } = await runMigrations(services.databaseUrl);
    process.stdout.write(applied > 0 ? `Applied ${applied} migration(s).\n` : 'Database schema is up to date.\n');
  } finally {
    await services.stop();
  }
}
