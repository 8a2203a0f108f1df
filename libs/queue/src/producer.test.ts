import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { z } from 'zod';
import { clearPrefix, testRedisUrl, uniquePrefix } from '@triage/testing';
import { createProducerConnection } from './connection';
import { defineJob, retryPolicy, safeJobId } from './job-contract';
import { InvalidPayloadError, Producer } from './producer';

const greet = defineJob({
  name: 'greet',
  description: 'test job',
  schema: z.object({ who: z.string().min(1), times: z.number().int().positive().default(1) }),
  defaultOptions: retryPolicy(4, 1_000),
  jobId: (payload) => safeJobId('greet', payload.who),
});

describe('Producer.enqueue', () => {
  const prefix = uniquePrefix('prod');
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let queue: Queue;

  beforeAll(() => {
    queue = new Queue(greet.name, { connection, prefix });
  });

  afterAll(async () => {
    await queue.close();
    await producer.close();
    await clearPrefix(testRedisUrl(), prefix);
    connection.disconnect();
  });

  it('rejects an invalid payload and adds nothing', async () => {
    await expect(producer.enqueue(greet, { who: '' })).rejects.toThrow(InvalidPayloadError);
    await expect(producer.enqueue(greet, { who: 'x', times: -1 })).rejects.toThrow('invalid greet payload: times: ');
    expect(await queue.count()).toBe(0);
  });

  it('adds a valid payload with the queue defaults, the parsed data and a deterministic id', async () => {
    const job = await producer.enqueue(greet, { who: 'ada' });
    const stored = await queue.getJob(job.id!);
    expect(stored?.id).toBe('greet-ada');
    expect(stored?.data).toEqual({ who: 'ada', times: 1 });
    expect(stored?.opts).toMatchObject({
      attempts: 4,
      backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
      removeOnComplete: { age: 86_400, count: 1_000 },
      removeOnFail: { age: 1_209_600, count: 5_000 },
    });
    const again = await producer.enqueue(greet, { who: 'ada' });
    expect(again.id).toBe('greet-ada');
    expect(await queue.count()).toBe(1);
  });

  it('keeps every key under the configured hash-tagged prefix', async () => {
    const redis = createProducerConnection(testRedisUrl());
    await redis.ping().catch(() => undefined);
    await new Promise((resolve) => redis.once('ready', resolve).once('error', resolve));
    const keys = await redis.keys('*greet*');
    redis.disconnect();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith(`${prefix}:greet:`)).toBe(true);
  });

  it.each([
    ['alert', '123', 'alert-123'],
    ['a:b', 'c d', 'a_b-c_d'],
  ])('safeJobId(%s, %s) = %s', (a, b, expected) => {
    expect(safeJobId(a, b)).toBe(expected);
  });
});
