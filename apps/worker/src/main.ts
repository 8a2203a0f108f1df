import { ConfigError, loadConfig, loadDotEnv, requireSetting } from '@triage/config';
import { connectDatabase, runMigrations } from '@triage/db';
import { queueNames } from '@triage/contracts';
import { allHandlers, type WorkerDeps } from '@triage/jobs/handlers';
import { runUntilSignal } from '@triage/lifecycle';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection, createWorkerConnection } from '@triage/queue';
import { WorkerManager, WorkerStartupError, raiseOpsAlertOnFailure } from '@triage/worker-runtime';
import { checkRepositories } from '@triage/investigation';
import { createGlitchTipClient } from './glitchtip-wiring';
import { createTelegramWiring } from './telegram-wiring';
import { queuesToConsume } from './worker-args';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const redisUrl = requireSetting(config.redisUrl, 'REDIS_URL', '`npm start` provides a private Redis; set it when running the worker alone');
  const databaseUrl = requireSetting(config.databaseUrl, 'DATABASE_URL', '`npm start` provides an embedded Postgres; set it when running the worker alone');
  const handled = allHandlers.map((handler) => handler.contract.name);
  const queues = queuesToConsume(process.argv.slice(2), config.worker.queues, handled);
  const logger = createLogger({ name: 'worker', level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);

  // Idempotent and under an advisory lock, so several workers starting together are fine (PM2 and Docker have no
  // separate migration step to forget).
  const { applied } = await runMigrations(databaseUrl);
  if (applied > 0) logger.info({ applied }, 'migrations applied');
  const database = connectDatabase(databaseUrl);
  const appRedis = createWorkerConnection(redisUrl);
  appRedis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const producerConnection = createProducerConnection(redisUrl);
  producerConnection.on('error', () => undefined);
  const producer = new Producer({ connection: producerConnection, prefix: config.queuePrefix, timeoutMs: 5_000 });

  const glitchtip = await createGlitchTipClient(config, logger, appRedis);
  const deps: WorkerDeps = {
    config,
    db: database.db,
    redis: appRedis,
    producer,
    glitchtip,
    ...createTelegramWiring(config, logger, appRedis),
    handledQueues: new Set(handled),
  };
  const manager = new WorkerManager<WorkerDeps>({
    redisUrl,
    prefix: config.queuePrefix,
    logger,
    deps,
    defaultConcurrency: config.worker.concurrency,
    onFailedForGood: raiseOpsAlertOnFailure(producer, config.publicUrl),
  });
  // Signals are handled from here on, so a stop during start-up still closes everything in order.
  runUntilSignal(logger, [
    { name: 'close workers (active jobs finish)', run: () => manager.close(config.worker.shutdownTimeoutMs) },
    { name: 'close producer', run: () => producer.close() },
    { name: 'close postgres', run: () => database.close() },
    { name: 'close redis', run: async () => { await appRedis.quit(); await producerConnection.quit(); } },
  ]);
  await manager.start(allHandlers, queues, queueNames);
  logger.info({ queues, prefix: config.queuePrefix, concurrency: config.worker.concurrency, dryRun: config.dryRun }, 'worker started');
  // A missing or non-git checkout is said once, here, by the process that investigates (and by `triage health`).
  if (queues.includes('investigate')) {
    for (const check of await checkRepositories(config)) {
      if (!check.ok) logger.error({ project: check.project, path: check.path }, `repository unusable for investigations: ${check.problem}`);
    }
  }

}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof WorkerStartupError) {
    console.error(error.message);
  } else {
    console.error('worker failed to start:', error);
  }
  process.exit(1);
});
