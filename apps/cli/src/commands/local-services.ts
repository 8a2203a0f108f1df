import path from 'node:path';
import type { Config } from '@triage/config';
import { findRunningEmbeddedPostgres, startEmbeddedPostgres, startPrivateRedis, type RunningService } from '@triage/embedded';
import type { Logger } from '@triage/logger';

export interface LocalServices {
  redisUrl: string;
  databaseUrl: string;
  describe: { redis: string; postgres: string };
  /** Stops what this process started (Postgres, then Redis); external services are left alone. */
  stop(): Promise<void>;
}

/**
 * REDIS_URL / DATABASE_URL when set; otherwise a private Redis and an embedded Postgres under DATA_DIR. A one-off
 * command (`owner` false) uses the embedded Postgres a running `triage start` already serves on DATA_DIR rather than
 * starting its own, which would stop that server first.
 */
export async function provideServices(
  config: Config,
  logger: Logger,
  needs: { redis: boolean; postgres: boolean; owner?: boolean },
): Promise<LocalServices> {
  const started: RunningService[] = [];
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop().catch((error) => logger.warn({ err: error }, 'could not stop a service'));
  };
  try {
    let redisUrl = config.redisUrl ?? '';
    let redisNote = 'REDIS_URL';
    if (!config.redisUrl && needs.redis) {
      const redis = await startPrivateRedis({ dir: path.join(config.dataDir, 'redis') });
      started.push(redis);
      redisUrl = redis.url;
      redisNote = `private redis-server on ${redis.address} (password in ${path.join(config.dataDir, 'redis', 'redis.password')})`;
      logger.info({ address: redis.address }, 'private Redis started');
    }
    let databaseUrl = config.databaseUrl ?? '';
    let postgresNote = 'DATABASE_URL';
    const running = !config.databaseUrl && needs.postgres && !needs.owner ? findRunningEmbeddedPostgres(path.join(config.dataDir, 'postgres')) : undefined;
    if (running) {
      databaseUrl = running.url;
      postgresNote = `the running embedded Postgres on 127.0.0.1:${new URL(running.url).port} (data in ${running.dataDir})`;
      logger.info({ dataDir: running.dataDir }, 'using the embedded Postgres that is already running');
    } else if (!config.databaseUrl && needs.postgres) {
      const postgres = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres') });
      started.push(postgres);
      databaseUrl = postgres.url;
      postgresNote = `embedded Postgres on 127.0.0.1:${new URL(postgres.url).port} (data in ${postgres.dataDir})`;
      logger.info({ dataDir: postgres.dataDir }, 'embedded Postgres started');
    }
    return { redisUrl, databaseUrl, describe: { redis: redisNote, postgres: postgresNote }, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
