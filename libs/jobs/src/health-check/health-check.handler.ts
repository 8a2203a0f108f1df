import { Queue } from 'bullmq';
import { healthCheck, opsAlert, queueNames } from '@triage/contracts';
import { isStuck, JobStats, readQueueStates, stuckReason } from '@triage/health';
import { boardFailedJobsUrl, defineHandler, jobFailedThrottleSeconds } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

export const healthCheckSchedulerId = 'health-check-v1';

/**
 * Every minute: a queue with jobs waiting and no job started or finished for N minutes (workers stuck after a Redis failover,
 * or no worker consuming it) raises an ops alert, one per queue per hour. /readyz says the same to a load balancer.
 */
export const createHealthCheckHandler = ({ now: clock = () => new Date() }: { now?: () => Date } = {}) => defineHandler<WorkerDeps, typeof healthCheck>({
  contract: healthCheck,
  concurrency: 1,
  schedules: () => [{ id: healthCheckSchedulerId, repeat: { every: 60_000 }, data: { stuckAfterMinutes: 10 } }],
  async handle(payload, { deps, log }) {
    const prefix = deps.config.queuePrefix;
    const queues = queueNames.filter((name) => name !== healthCheck.name).map((name) => new Queue(name, { connection: deps.redis, prefix }));
    try {
      const now = clock();
      const states = await readQueueStates(queues, new JobStats(deps.redis, prefix));
      const stuck = states.filter((state) => isStuck(state, now, payload.stuckAfterMinutes * 60_000));
      for (const state of stuck) {
        log.warn({ queue: state.queue, waiting: state.waiting }, 'queue stuck');
        await deps.producer.enqueue(opsAlert, {
          throttleKey: `queue-stuck:${state.queue}`,
          title: `${state.queue} queue stuck`,
          details: `${stuckReason(state, now)}\nNo job of this kind started or finished in ${payload.stuckAfterMinutes} min while jobs wait: are its workers running (and connected after a Redis failover)?`,
          link: boardFailedJobsUrl(deps.config.publicUrl, state.queue).replace('?status=failed', '?status=waiting'),
          throttleSeconds: jobFailedThrottleSeconds,
          raisedAt: now.toISOString(),
        });
      }
      return { stuck: stuck.map((state) => state.queue) };
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
    }
  },
});

export const healthCheckHandler = createHealthCheckHandler();
