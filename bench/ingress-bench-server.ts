/**
 * The servers ingress.bench.ts measures, each run as its own process so the load generator does not share their
 * event loop: `ingress` (the real app over Redis) or `plain` (Express that parses the JSON and answers 202).
 * Reports its port to the parent over IPC.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { loadConfig } from '@triage/config';
import { createLogger } from '@triage/logger';
import { createProducerConnection, Producer } from '@triage/queue';
import { createIngressApp } from '../apps/ingress/src/app';

async function ingressApp(): Promise<express.Express> {
  const config = loadConfig();
  const redis = createProducerConnection(config.redisUrl!);
  await new Promise<void>((resolve, reject) => redis.once('ready', resolve).once('error', reject));
  // As apps/ingress/src/main.ts logs when stdout is not a terminal.
  const logger = createLogger({ name: 'ingress', level: config.logLevel, destination: pino.destination({ dest: 1, sync: false }) });
  return createIngressApp({ config, logger, producer: new Producer({ connection: redis, prefix: config.queuePrefix }), redis });
}

function plainApp(): express.Express {
  const app = express();
  app.post('/api/glitchtip-webhook', express.json({ limit: '256kb' }), (_req, res) => {
    res.status(202).json({ enqueued: 0 });
  });
  return app;
}

const role = process.argv[2];
if (role !== 'ingress' && role !== 'plain') throw new Error('usage: ingress-bench-server.ts ingress|plain');
const app = role === 'ingress' ? await ingressApp() : plainApp();
const server = app.listen(0, '127.0.0.1', () => {
  process.send!({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
