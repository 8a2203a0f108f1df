import { z } from 'zod';
import { appKey, defineJob, retryPolicy } from '@triage/queue';

/**
 * The delivery reconciler, every minute: an alert recorded but not delivered to every target `redriveAfterMinutes`
 * after its transition has its send enqueued again (once); still undelivered as long again after that, it counts as
 * stuck and one ops alert per hour names how many.
 */
export const reconcileDeliverySchema = z.object({
  redriveAfterMinutes: z.number().int().min(1).max(24 * 60).default(10),
  /** Alerts older than this are history, not debt: the reconciler leaves them alone. */
  lookbackHours: z.number().int().min(1).max(7 * 24).default(24),
});

export type ReconcileDeliveryPayload = z.output<typeof reconcileDeliverySchema>;

export const reconcileDelivery = defineJob({
  name: 'reconcile-delivery',
  description: 'Re-drive alerts recorded but not delivered to every chat; raise an ops alert for those still stuck',
  schema: reconcileDeliverySchema,
  defaultOptions: { ...retryPolicy(1, 5_000), removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});

/** Where the reconciler leaves the number of undelivered alerts it last counted (read by the ingress's /metrics). */
export function undeliveredAlertsKey(prefix: string): string {
  return appKey(prefix, 'delivery', 'undelivered-alerts');
}
