import type { Queue } from 'bullmq';
import type { JobStats } from './job-stats';

export interface QueueState {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** When the longest-waiting job (by the time it was added, whatever its priority) was added. */
  oldestWaitingAt: Date | undefined;
  lastCompletedAt: Date | undefined;
  /** The last job that began running, and the last attempt that ended (any outcome), recorded by the workers. */
  lastStartedAt?: Date;
  lastFinishedAt?: Date;
  /** Worker connections on the queue (CLIENT LIST); undefined where the Redis service refuses that command. */
  workers?: number;
}

/** Jobs waiting and nothing started or finished for this long: workers are stuck (e.g. after a Redis failover) or absent. */
export const defaultStuckAfterMs = 10 * 60_000;

/** The latest sign of a worker at work: a start, or an attempt's end of any outcome. */
export function lastActivityAt(state: QueueState): Date | undefined {
  const times = [state.lastStartedAt, state.lastFinishedAt, state.lastCompletedAt].filter((at): at is Date => at !== undefined);
  return times.length > 0 ? new Date(Math.max(...times.map((at) => at.getTime()))) : undefined;
}

/**
 * A queue is stuck when jobs wait and no job of it started or finished in `stuckAfterMs`. A job added less than that
 * ago does not make an idle queue stuck (a healthy worker takes it within moments).
 */
export function isStuck(state: QueueState, now: Date, stuckAfterMs = defaultStuckAfterMs): boolean {
  if (state.waiting === 0) return false;
  if (state.oldestWaitingAt && now.getTime() - state.oldestWaitingAt.getTime() <= stuckAfterMs) return false;
  const activity = lastActivityAt(state);
  return !activity || now.getTime() - activity.getTime() > stuckAfterMs;
}

/** One line saying why a queue is stuck. */
export function stuckReason(state: QueueState, now: Date): string {
  const minutes = (at: Date | undefined) => (at ? `${Math.round((now.getTime() - at.getTime()) / 60_000)} min ago` : 'never');
  const consumers = state.workers === 0 ? ', no worker consumes it' : '';
  return `queue ${state.queue}: ${state.waiting} waiting, oldest added ${minutes(state.oldestWaitingAt)}, last job started or finished ${minutes(lastActivityAt(state))}${consumers}`;
}

/** Bounds the read of a long prioritized set; the oldest beyond it (the lowest priorities) may be missed. */
const maxPrioritizedRead = 500;

/** The job waiting longest by the time it was added: the plain list's oldest, or any prioritized one (any priority). */
async function oldestWaitingAt(queue: Queue): Promise<Date | undefined> {
  const [listOldest, prioritized] = await Promise.all([queue.getJobs(['waiting'], 0, 0, true), queue.getJobs(['prioritized'], 0, maxPrioritizedRead - 1, true)]);
  const added = [...listOldest, ...prioritized].filter((job) => job !== undefined).map((job) => job.timestamp);
  return added.length > 0 ? new Date(Math.min(...added)) : undefined;
}

export async function readQueueState(queue: Queue, stats: JobStats): Promise<QueueState> {
  const [counts, oldest, activity, workers] = await Promise.all([
    queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
    oldestWaitingAt(queue),
    stats.activity(queue.name),
    queue.getWorkersCount().catch(() => undefined),
  ]);
  return {
    queue: queue.name,
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
    oldestWaitingAt: oldest,
    lastCompletedAt: activity.lastCompletedAt,
    ...(activity.lastStartedAt ? { lastStartedAt: activity.lastStartedAt } : {}),
    ...(activity.lastFinishedAt ? { lastFinishedAt: activity.lastFinishedAt } : {}),
    ...(workers === undefined ? {} : { workers }),
  };
}

export function readQueueStates(queues: Queue[], stats: JobStats): Promise<QueueState[]> {
  return Promise.all(queues.map((queue) => readQueueState(queue, stats)));
}
