import type { Queue } from 'bullmq';
import type { JobStats } from './job-stats';

export interface QueueState {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** When the oldest job still waiting was added. */
  oldestWaitingAt: Date | undefined;
  lastCompletedAt: Date | undefined;
  /** Worker connections on the queue (CLIENT LIST); undefined where the Redis service refuses that command. */
  workers?: number;
}

/** Jobs waiting and nothing completed for this long: workers are stuck (e.g. after a Redis failover) or absent. */
export const defaultStuckAfterMs = 10 * 60_000;

/**
 * A queue is stuck when a job has waited longer than `stuckAfterMs` and nothing completed in that time. The oldest
 * waiting job's age (not only the last completion) keeps a queue that was idle for hours and just got a job from
 * looking stuck.
 */
export function isStuck(state: QueueState, now: Date, stuckAfterMs = defaultStuckAfterMs): boolean {
  if (state.waiting === 0 || !state.oldestWaitingAt) return false;
  const waitedMs = now.getTime() - state.oldestWaitingAt.getTime();
  const sinceCompletionMs = state.lastCompletedAt ? now.getTime() - state.lastCompletedAt.getTime() : Number.POSITIVE_INFINITY;
  return waitedMs > stuckAfterMs && sinceCompletionMs > stuckAfterMs;
}

/** One line saying why a queue is stuck. */
export function stuckReason(state: QueueState, now: Date): string {
  const minutes = (at: Date | undefined) => (at ? `${Math.round((now.getTime() - at.getTime()) / 60_000)} min ago` : 'never');
  const consumers = state.workers === 0 ? ', no worker consumes it' : '';
  return `queue ${state.queue}: ${state.waiting} waiting, oldest added ${minutes(state.oldestWaitingAt)}, last completion ${minutes(state.lastCompletedAt)}${consumers}`;
}

export async function readQueueState(queue: Queue, stats: JobStats): Promise<QueueState> {
  const [counts, oldest, lastCompletedAt, workers] = await Promise.all([
    queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
    queue.getJobs(['waiting', 'prioritized'], 0, 0, true),
    stats.lastCompletedAt(queue.name),
    queue.getWorkersCount().catch(() => undefined),
  ]);
  // A delayed job (a scheduler's next run, a retry) starts waiting when its delay ends, not when it was added.
  const waitingSince = oldest.filter((job) => job !== undefined).map((job) => job.timestamp + (job.delay ?? 0));
  return {
    queue: queue.name,
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
    oldestWaitingAt: waitingSince.length > 0 ? new Date(Math.min(...waitingSince)) : undefined,
    lastCompletedAt,
    ...(workers === undefined ? {} : { workers }),
  };
}

export function readQueueStates(queues: Queue[], stats: JobStats): Promise<QueueState[]> {
  return Promise.all(queues.map((queue) => readQueueState(queue, stats)));
}
