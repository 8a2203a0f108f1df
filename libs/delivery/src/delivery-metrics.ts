import type { Redis } from 'ioredis';
import { deliveryCountersKey, renderDeliveryCounters, type PossibleRepeatKind } from '@triage/contracts';

/**
 * Workers serve no /metrics of their own: they count in Redis, and the ingress renders the counters at scrape time
 * (renderDeliveryCounters), like the job statistics.
 */
export async function countPossibleRepeat(redis: Redis, prefix: string, kind: PossibleRepeatKind): Promise<void> {
  await redis.hincrby(deliveryCountersKey(prefix), kind, 1);
}

export async function deliveryMetricsText(redis: Redis, prefix: string): Promise<string> {
  return renderDeliveryCounters(await redis.hgetall(deliveryCountersKey(prefix)));
}
