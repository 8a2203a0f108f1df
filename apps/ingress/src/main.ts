import type { Server } from 'node:http';
import { ConfigError, loadConfig, loadDotEnv, requireSetting, type Config } from '@triage/config';
import { connectDatabase } from '@triage/db';
import { runUntilSignal } from '@triage/lifecycle';
import { createLogger, type Logger } from '@triage/logger';
import { createProducerConnection, Producer, waitUntilReady } from '@triage/queue';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { createIngressApp } from './app';

function configOrExit(): Config & { redisUrl: string; databaseUrl: string; webhookToken: string } {
  try {
    loadDotEnv();
    const config = loadConfig();
    return {
      ...config,
      redisUrl: requireSetting(config.redisUrl, 'REDIS_URL', 'npm start sets it; alone the ingress needs a running Redis'),
      databaseUrl: requireSetting(config.databaseUrl, 'DATABASE_URL', 'npm start sets it; alone the ingress needs a running Postgres'),
      webhookToken: requireSetting(config.webhookToken, 'WEBHOOK_TOKEN', 'npm start generates one; alone the ingress needs it set'),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** One warning per outage rather than one per reconnect attempt. */
function logRedisOutages(redis: Redis, logger: Logger): void {
  let down = false;
  redis.on('error', (error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, 'Redis unreachable: webhooks are answered 503 until it is back');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis reachable again');
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

const config = configOrExit();
// Not a terminal (PM2, Docker, a pipe): asynchronous writes, so a burst of webhooks does not pay one blocking write per
// log line; pino flushes them at exit.
const logger = createLogger({
  name: 'ingress',
  level: config.logLevel,
  destination: process.stdout.isTTY ? undefined : pino.destination({ dest: 1, sync: false }),
});
for (const warning of config.warnings) logger.warn(warning);
const redis = createProducerConnection(config.redisUrl);
logRedisOutages(redis, logger);
const producer = new Producer({ connection: redis, prefix: config.queuePrefix });
const db = connectDatabase(config.databaseUrl, { max: 2 });
const app = createIngressApp({ config, logger, producer, redis, db });

// Listening before Redis is connected would answer the first webhooks 503; wait a little, but never forever.
if (!(await waitUntilReady(redis, 5_000))) logger.warn('Redis not reachable yet; listening anyway (webhooks get 503 until it is)');

const server = app.listen(config.port, (error?: Error) => {
  if (error) {
    logger.fatal({ err: error, port: config.port }, 'ingress could not listen');
    process.exit(1);
  }
  logger.info({ url: `http://localhost:${config.port}`, publicUrl: config.publicUrl }, 'ingress listening');
});

runUntilSignal(logger, [
  { name: 'close HTTP server', run: () => closeServer(server) },
  { name: 'close producer', run: () => producer.close() },
  { name: 'close database', run: () => db.close() },
  { name: 'quit redis', run: () => redis.quit() },
  { name: 'flush logs', run: () => new Promise<void>((resolve) => logger.flush(() => resolve())) },
]);
