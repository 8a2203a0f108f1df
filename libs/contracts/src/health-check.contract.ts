import { z } from 'zod';
import { defineJob, retryPolicy } from '@triage/queue';

/** Triage watching itself: a scheduler runs this every minute; a stuck queue raises an ops alert (throttled per queue). */
export const healthCheckSchema = z.object({
  /** Jobs waiting and nothing completed for this long counts as stuck. */
  stuckAfterMinutes: z.number().int().min(1).max(24 * 60).default(10),
});

export type HealthCheckPayload = z.output<typeof healthCheckSchema>;

export const healthCheck = defineJob({
  name: 'health-check',
  description: 'Look for stuck queues (jobs waiting, nothing completed) and raise an ops alert',
  schema: healthCheckSchema,
  // A missed check is replaced by the next one a minute later.
  defaultOptions: { ...retryPolicy(1, 1_000), removeOnComplete: { age: 3600, count: 100 }, removeOnFail: { age: 24 * 3600, count: 100 } },
});
