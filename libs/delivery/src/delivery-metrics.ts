import type { Redis } from 'ioredis';
import { appKey } from '@triage/queue';

/**
 * Counters kept in Redis by the workers (which serve no /metrics of their own); the ingress renders them on /metrics
 * at scrape time, like the job statistics.
 */
export const possibleRepeatsMetric = 'triage_telegram_possible_repeats_total';

export function deliveryCounterKey(prefix: string): string {
  return appKey(prefix, 'metrics', 'delivery');
}

/** A message sent again after an unknown outcome (marked "possible repeat"). */
export async function countPossibleRepeat(redis: Redis, prefix: string, kind: 'alert' | 'digest' | 'reply'): Promise<void> {
  await redis.hincrby(deliveryCounterKey(prefix), kind, 1);
}

/** The counters as Prometheus text, for the ingress's /metrics. */
export async function deliveryMetricsText(redis: Redis, prefix: string): Promise<string> {
  const counts = await redis.hgetall(deliveryCounterKey(prefix));
  const lines = [
    `# HELP ${possibleRepeatsMetric} Telegram messages sent again after an unknown outcome (a killed worker, a lost answer), marked as a possible repeat`,
    `# TYPE ${possibleRepeatsMetric} counter`,
    ...(['alert', 'digest', 'reply'] as const).map((kind) => `${possibleRepeatsMetric}{kind="${kind}"} ${Number(counts[kind] ?? 0)}`),
  ];
  return `${lines.join('\n')}\n`;
}
