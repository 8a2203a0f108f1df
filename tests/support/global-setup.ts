import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, startPrivateRedis, type RunningService } from '../../libs/embedded/src/index';

/**
 * One real Redis and one real Postgres for the whole run (unless TEST_REDIS_URL / TEST_DATABASE_URL point at ones
 * already running). Tests isolate themselves with a unique queue prefix and a database of their own.
 */
export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-test-'));
  // mkdtemp makes it 0700; the embedded Postgres runs as the postgres user (under root) and must reach its data dir.
  fs.chmodSync(dir, 0o755);
  const services: RunningService[] = [];
  if (!process.env.TEST_REDIS_URL) {
    const redis = await startPrivateRedis({ dir: path.join(dir, 'redis'), persistent: false });
    services.push(redis);
    process.env.TEST_REDIS_URL = redis.url;
  }
  if (!process.env.TEST_DATABASE_URL) {
    const postgres = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), fast: true });
    services.push(postgres);
    process.env.TEST_DATABASE_URL = postgres.url;
  }
  (globalThis as { __triageTestServices?: { services: RunningService[]; dir: string } }).__triageTestServices = { services, dir };
}
