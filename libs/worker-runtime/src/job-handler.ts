import type { Job, Worker } from 'bullmq';
import type { Logger } from '@triage/logger';
import type { JobContract, PayloadOf } from '@triage/queue';

export interface HandlerContext<Deps> {
  job: Job;
  /** The lock token of this attempt, for moveToDelayed and friends. */
  token: string | undefined;
  worker: Worker;
  /** Child logger carrying queue, job id and (when the payload has one) issue id. */
  log: Logger;
  deps: Deps;
}

/** A BullMQ job scheduler. Put a version in the id (`poll-issues-v1`) so a changed schedule replaces the old one. */
export interface JobSchedule<C extends JobContract = JobContract> {
  id: string;
  repeat: { every: number } | { pattern: string; tz: string };
  data: PayloadOf<C>;
}

export interface JobHandler<Deps, C extends JobContract = JobContract> {
  readonly contract: C;
  /** Jobs of this kind run at once in one process (default: WORKER_CONCURRENCY). */
  readonly concurrency?: number;
  /** BullMQ's per-queue limiter, shared by every worker process on the queue. */
  readonly limiter?: { max: number; duration: number };
  /** Recurring jobs of this kind, upserted when a worker for the queue starts; other schedulers on the queue are removed. */
  schedules?(deps: Deps): Array<JobSchedule<C>>;
  handle(payload: PayloadOf<C>, context: HandlerContext<Deps>): Promise<unknown>;
}

export function defineHandler<Deps, C extends JobContract>(handler: JobHandler<Deps, C>): JobHandler<Deps, C> {
  return handler;
}
