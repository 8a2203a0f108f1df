import type { Config } from '@triage/config';
import type { DatabaseHandle } from '@triage/db';
import { allContracts, deliveryCountersKey, renderDeliveryCounters, undeliveredAlertsKey } from '@triage/contracts';
import { JobStats, jobStatsMetricsText } from '@triage/health';
import type { Logger } from '@triage/logger';
import type { Producer } from '@triage/queue';
import express, { type ErrorRequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { cachedQueueDepths, IngressMetrics, routeLabel } from './ingress-metrics';
import { createQueueBoardRouter, type QueueBoardSettings } from './queue-board';
import { checkReadiness } from './readiness';
import { mountRunbookRoutes } from './runbook-routes';
import { mountWebhookRoutes } from './webhook-route';
import { sharedRunbookStore } from '@triage/runbooks';

export interface IngressDeps {
  config: Config;
  logger: Logger;
  producer: Producer;
  /** The producer's connection, for readiness pings. */
  redis: Redis;
  /** Without it /readyz reports Postgres as 'not configured' instead of pinging it. */
  db?: DatabaseHandle;
  /** Overrides config.board (Bull Board is mounted only when one of them is set). */
  board?: QueueBoardSettings;
}

export const boardPath = '/admin/queues';

/** The ingress HTTP app: validate and enqueue, never call GlitchTip or Telegram. */
export function createIngressApp(deps: IngressDeps): express.Express {
  const { config, logger, producer, redis, db } = deps;
  if (!config.webhookToken) throw new Error('createIngressApp needs config.webhookToken: every webhook call must carry it');
  const queues = allContracts.map((contract) => producer.queue(contract.name));
  const metrics = new IngressMetrics(
    cachedQueueDepths(queues),
    (error) => logger.debug({ err: error }, 'queue depths unavailable'),
    async () => {
      const counted = await redis.get(undeliveredAlertsKey(producer.prefix));
      return counted === null ? undefined : Number(counted);
    },
  );

  const app = express();
  app.disable('x-powered-by');
  // Webhook answers are counted where they are sent (no 'finish' listener per request on the hot path); every other
  // request by this middleware, which the webhook routes above it never reach.
  mountWebhookRoutes(app, {
    logger,
    metrics,
    producer,
    webhookToken: config.webhookToken,
    enabled: config.components.webhookHandler,
    glitchtipApi: config.glitchtip.baseUrl !== undefined,
  });
  app.use((req, res, next) => {
    res.on('finish', () => metrics.httpRequests.inc({ route: routeLabel(req.path), status: String(res.statusCode) }));
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness({ redis, db, prefix: producer.prefix, queues });
    res.status(readiness.status === 'unavailable' ? 503 : 200).json(readiness);
  });
  app.get('/metrics', async (_req, res) => {
    // Workers count their jobs in Redis (other processes); a Redis outage leaves those lines out, never the answer.
    const jobStats = await jobStatsMetricsText(new JobStats(redis, producer.prefix)).catch(() => '');
    const delivery = await redis.hgetall(deliveryCountersKey(producer.prefix)).then(renderDeliveryCounters, () => '');
    res.type(metrics.registry.contentType).send((await metrics.registry.metrics()) + jobStats + delivery);
  });

  mountRunbookRoutes(app, {
    store: sharedRunbookStore(config.runbooksDir, (problems) => {
      for (const problem of problems) logger.warn({ file: problem.file, line: problem.line }, `runbook problem: ${problem.message}`);
    }),
    db: db?.db,
    runbooksBaseUrl: config.runbooksBaseUrl,
    logger,
  });

  const board = deps.board ?? config.board;
  if (board) app.use(boardPath, createQueueBoardRouter(queues, board, boardPath));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const unexpected: ErrorRequestHandler = (error, _req, res, _next) => {
    logger.error({ err: error }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(unexpected);
  return app;
}
