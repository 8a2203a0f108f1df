import { opsAlert } from '@triage/contracts';
import type { Producer } from '@triage/queue';
import type { FinalFailure } from './worker-manager';

export const jobFailedThrottleSeconds = 3600;

/** Bull Board's page of a queue's failed jobs. */
export function boardFailedJobsUrl(publicUrl: string, queue: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/admin/queues/queue/${encodeURIComponent(queue)}?status=failed`;
}

/**
 * The WorkerManager hook that turns a job failing for good into an `ops-alert` job (one per job type per hour, the
 * handler's throttle). An ops-alert failing for good raises nothing: that would loop.
 */
export function raiseOpsAlertOnFailure(producer: Producer, publicUrl: string): (failure: FinalFailure) => Promise<void> {
  return async (failure) => {
    if (failure.queue === opsAlert.name) return;
    await producer.enqueue(opsAlert, {
      throttleKey: `job-failed:${failure.queue}`,
      title: `${failure.queue} job failed for good`,
      details: [`job ${failure.jobId ?? '(no id)'} after ${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}`, `error: ${failure.error}`]
        .join('\n')
        .slice(0, 3000),
      link: boardFailedJobsUrl(publicUrl, failure.queue),
      throttleSeconds: jobFailedThrottleSeconds,
      raisedAt: failure.at.toISOString(),
    });
  };
}
