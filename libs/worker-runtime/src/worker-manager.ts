import { DelayedError, Queue, RateLimitError, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobStats, type JobOutcome } from '@triage/health';
import type { Logger } from '@triage/logger';
import { createWorkerConnection } from '@triage/queue';
import type { JobHandler } from './job-handler';

export class WorkerStartupError extends Error {
  constructor(readonly problems: string[]) {
    super(`cannot start workers:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'WorkerStartupError';
  }
}

/**
 * Every queue this process consumes needs exactly one handler, and every queue asked for must exist;
 * start-up fails naming each offender rather than leaving jobs to pile up unconsumed.
 */
export function checkHandlerRegistry(handlers: Array<JobHandler<unknown>>, queues: string[], knownQueues: string[]): void {
  const problems: string[] = [];
  const byName = new Map<string, number>();
  for (const handler of handlers) byName.set(handler.contract.name, (byName.get(handler.contract.name) ?? 0) + 1);
  for (const [name, count] of byName) if (count > 1) problems.push(`job "${name}" has ${count} handlers; it must have exactly one`);
  for (const queue of queues) {
    if (!knownQueues.includes(queue)) problems.push(`queue "${queue}" does not exist (known: ${knownQueues.join(', ')})`);
    else if (!byName.has(queue)) problems.push(`job "${queue}" has no handler`);
  }
  if (queues.length === 0) problems.push('no queues to consume');
  if (problems.length > 0) throw new WorkerStartupError(problems);
}

export interface WorkerManagerOptions<Deps> {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  deps: Deps;
  defaultConcurrency: number;
  /** Called once per job that failed for good (last attempt, unrecoverable, or stalled too often); never throws into the worker. */
  onFailedForGood?: (failure: FinalFailure) => Promise<void>;
  /** When a failure happened (FinalFailure.at); tests set it to raise failures in distinct minutes. */
  now?: () => Date;
}

export interface FinalFailure {
  queue: string;
  jobId: string | undefined;
  attempts: number;
  error: string;
  at: Date;
}

function schedulerTemplateOptions({ jobId: _jobId, ...rest }: JobsOptions): Omit<JobsOptions, 'jobId'> {
  return rest;
}

function issueIdOf(data: unknown): string | undefined {
  if (data && typeof data === 'object' && 'issueId' in data) {
    const value = (data).issueId;
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

/** Wraps every handler with payload re-validation, timing and logs; closes all workers gracefully. */
export class WorkerManager<Deps> {
  private readonly workers: Worker[] = [];
  private readonly connection: Redis;
  private readonly stats: JobStats;
  private starting: Promise<void> | undefined;
  private closing = false;
  private readonly now: () => Date;

  constructor(private readonly options: WorkerManagerOptions<Deps>) {
    this.connection = createWorkerConnection(options.redisUrl);
    this.connection.on('error', (error) => options.logger.warn({ err: error }, 'worker redis connection error'));
    this.stats = new JobStats(this.connection, options.prefix);
    this.now = options.now ?? (() => new Date());
  }

  /** Counters for /metrics and `triage health`; a Redis hiccup here must never fail the job itself. */
  /** durationMs undefined: the handler never ran (invalid payload, stalled); the outcome counts, the histogram does not. */
  private recordStats(queue: string, outcome: JobOutcome, durationMs: number | undefined, log: Logger): void {
    this.stats.record(queue, outcome, durationMs).catch((error: unknown) => log.warn({ err: error }, 'could not record job stats'));
  }

  /** The stuck-queue rule counts a start as progress, so a long job does not hide a live worker. */
  private recordStarted(queue: string, log: Logger): void {
    this.stats.recordStarted(queue).catch((error: unknown) => log.warn({ err: error }, 'could not record the job start'));
  }

  private reportFailedForGood(failure: FinalFailure, log: Logger): void {
    const hook = this.options.onFailedForGood;
    if (!hook) return;
    hook(failure).catch((error: unknown) => log.error({ err: error, failedJob: failure.jobId }, 'could not raise the ops alert for a job that failed for good'));
  }

  async start(handlers: Array<JobHandler<Deps>>, queues: string[], knownQueues: string[]): Promise<void> {
    checkHandlerRegistry(handlers, queues, knownQueues);
    this.starting = this.startAll(handlers, queues);
    await this.starting;
  }

  private async startAll(handlers: Array<JobHandler<Deps>>, queues: string[]): Promise<void> {
    for (const queue of queues) {
      // A stop signal during start-up: start nothing more, so close() finds every worker it has to close.
      if (this.closing) return;
      const handler = handlers.find((candidate) => candidate.contract.name === queue)!;
      this.workers.push(this.startWorker(handler));
      await this.upsertSchedules(handler);
    }
  }

  private async upsertSchedules(handler: JobHandler<Deps>): Promise<void> {
    const { contract } = handler;
    const wanted = handler.schedules?.(this.options.deps) ?? [];
    const queue = new Queue(contract.name, { connection: this.connection, prefix: this.options.prefix });
    try {
      for (const schedule of wanted) {
        const data = contract.schema.parse(schedule.data);
        await queue.upsertJobScheduler(schedule.id, schedule.repeat, {
          name: contract.name,
          data,
          opts: schedulerTemplateOptions(contract.defaultOptions),
        });
        this.options.logger.info({ queue: contract.name, scheduler: schedule.id, repeat: schedule.repeat }, 'job scheduler upserted');
      }
      const wantedIds = new Set(wanted.map((schedule) => schedule.id));
      for (const existing of await queue.getJobSchedulers()) {
        if (existing.key && !wantedIds.has(existing.key)) {
          await queue.removeJobScheduler(existing.key);
          this.options.logger.info({ queue: contract.name, scheduler: existing.key }, 'stale job scheduler removed');
        }
      }
    } finally {
      await queue.close();
    }
  }

  private startWorker(handler: JobHandler<Deps>): Worker {
    const { logger, deps, prefix } = this.options;
    const queue = handler.contract.name;
    const queueLog = logger.child({ queue });
    const worker: Worker = new Worker(
      queue,
      async (job: Job, token?: string) => {
        const log = queueLog.child({ jobId: job.id, attempt: job.attemptsMade + 1, issueId: issueIdOf(job.data) });
        const parsed = handler.contract.schema.safeParse(job.data);
        if (!parsed.success) {
          const reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
          log.error({ reason }, 'invalid payload; failing without retry');
          this.recordStats(queue, 'failed', undefined, log);
          this.reportFailedForGood({ queue, jobId: job.id, attempts: job.attemptsMade + 1, error: `invalid payload: ${reason}`, at: this.now() }, log);
          throw new UnrecoverableError(`invalid payload: ${reason}`);
        }
        const started = performance.now();
        this.recordStarted(queue, log);
        log.debug('job started');
        try {
          const result = await handler.handle(parsed.data, { job, token, worker, log, deps });
          const durationMs = Math.round(performance.now() - started);
          log.info({ durationMs }, 'job done');
          this.recordStats(queue, 'completed', durationMs, log);
          return result;
        } catch (error) {
          // Not failures: the job was rate limited or moved to delayed on purpose, and keeps its attempts.
          if (error instanceof RateLimitError || error instanceof DelayedError) throw error;
          const attempts = job.opts.attempts ?? 1;
          const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= attempts;
          const durationMs = Math.round(performance.now() - started);
          log[final ? 'error' : 'warn']({ err: error, durationMs, willRetry: !final }, final ? 'job failed' : 'job failed; will retry');
          this.recordStats(queue, final ? 'failed' : 'retried', durationMs, log);
          if (final) this.reportFailedForGood({ queue, jobId: job.id, attempts: job.attemptsMade + 1, error: errorText(error), at: this.now() }, log);
          throw error;
        }
      },
      {
        connection: this.connection,
        prefix,
        concurrency: handler.concurrency ?? this.options.defaultConcurrency,
        limiter: handler.limiter,
        autorun: true,
      },
    );
    worker.on('error', (error) => queueLog.error({ err: error }, 'worker error'));
    worker.on('stalled', (jobId) => queueLog.warn({ jobId }, 'job stalled; it will be retried'));
    // A job that stalled too often fails without passing through the processor's catch above.
    worker.on('failed', (job, error) => {
      if (!job || !/stalled more than allowable limit/i.test(error.message)) return;
      this.recordStats(queue, 'failed', undefined, queueLog);
      this.reportFailedForGood({ queue, jobId: job.id, attempts: job.attemptsMade, error: error.message, at: this.now() }, queueLog);
    });
    return worker;
  }

  /** Stops taking jobs, lets active ones finish (up to timeoutMs), then force-closes. */
  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    // Let a start-up in progress finish its current step (a scheduler upsert) on the open connection first.
    await this.starting?.catch(() => undefined);
    const graceful = Promise.all(this.workers.map((worker) => worker.close()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.options.logger.warn({ timeoutMs }, 'active jobs did not finish in time; forcing close (they will be retried)');
      await Promise.all(this.workers.map((worker) => worker.close(true)));
    }
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return String(error);
}
