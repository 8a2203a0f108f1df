import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Queue } from 'bullmq';

/** The job states a queue-depth gauge reports ('prioritized' holds jobs added with a priority). */
export const reportedJobStates = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

/**
 * A route label that never carries the webhook token (it can sit in the path) and cannot explode in cardinality
 * (every unknown path is 'unmatched').
 */
export function routeLabel(path: string): string {
  if (path === '/api/glitchtip-webhook' || path.startsWith('/api/glitchtip-webhook/')) return '/api/glitchtip-webhook';
  if (path === '/admin/queues' || path.startsWith('/admin/queues/')) return '/admin/queues';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path;
  return 'unmatched';
}

export type QueueDepths = Array<{ queue: string; counts: Record<string, number> }>;

/** Reads job counts at most once per ttl: a scrape every few seconds must not become load on Redis. */
export function cachedQueueDepths(queues: Queue[], ttlMs = 5_000): () => Promise<QueueDepths> {
  let cached: { at: number; depths: Promise<QueueDepths> } | undefined;
  return () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.depths;
    const depths = Promise.all(queues.map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts(...reportedJobStates) })));
    cached = { at: Date.now(), depths };
    return depths;
  };
}

/** The ingress's own registry (not prom-client's global one), so several apps in one process do not collide. */
export class IngressMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'triage_ingress_http_requests_total',
    help: 'HTTP requests answered, by route and status code',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  readonly enqueueDuration = new Histogram({
    name: 'triage_ingress_enqueue_duration_seconds',
    help: 'Time from a parsed webhook to Redis accepting its jobs (or failing to)',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly alertJobs = new Counter({
    name: 'triage_ingress_alert_jobs_total',
    help: 'Alerts from webhooks: queued as process-alert jobs (a repeat in the dedup window shares its job), or repeated inside one body',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(
    readDepths: () => Promise<QueueDepths>,
    onDepthError: (error: unknown) => void,
    /** The workers' delivery reconciler counts undelivered alerts into Redis; undefined (not counted yet) reads as 0. */
    readUndeliveredAlerts?: () => Promise<number | undefined>,
  ) {
    if (readUndeliveredAlerts) {
      new Gauge({
        name: 'triage_alerts_undelivered',
        help: 'Alerts recorded but not delivered to every chat, as the delivery reconciler last counted them (every minute)',
        registers: [this.registry],
        async collect() {
          this.reset();
          const count = await readUndeliveredAlerts().catch(() => undefined);
          if (count !== undefined && Number.isFinite(count)) this.set(count);
        },
      });
    }
    new Gauge({
      name: 'triage_queue_jobs',
      help: 'Jobs per queue and state (read at most every few seconds)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          for (const { queue, counts } of await readDepths()) {
            for (const state of reportedJobStates) this.set({ queue, state }, counts[state] ?? 0);
          }
        } catch (error) {
          // Redis down: report no depths rather than stale ones, and keep /metrics answering.
          onDepthError(error);
        }
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'triage_ingress_' });
  }
}
