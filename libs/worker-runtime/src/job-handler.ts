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

export interface JobHandler<Deps, C extends JobContract = JobContract> {
  readonly contract: C;
  /** Jobs of this kind run at once in one process (default: WORKER_CONCURRENCY). */
  readonly concurrency?: number;
  /** BullMQ's per-queue limiter, shared by every worker process on the queue. */
  readonly limiter?: { max: number; duration: number };
  handle(payload: PayloadOf<C>, context: HandlerContext<Deps>): Promise<unknown>;
}

export function defineHandler<Deps, C extends JobContract>(handler: JobHandler<Deps, C>): JobHandler<Deps, C> {
  return handler;
}
