import express from 'express';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
const mode = process.argv[2];
const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
await new Promise((r) => redis.once('ready', r));
const queue = new Queue('process-alert', { connection: redis, prefix: '{min}' });
const app = express();
let n = 0;
app.post('/api/glitchtip-webhook', express.json(), async (req, res) => {
  if (mode === 'add') await queue.add('process-alert', req.body, { jobId: `j-${n++}-${process.pid}`, attempts: 8, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 }, removeOnComplete: { age: 86400, count: 1000 }, removeOnFail: { age: 1209600, count: 5000 } });
  res.status(202).json({ ok: 1 });
});
const server = app.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
