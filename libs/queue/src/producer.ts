import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobContract, PayloadInputOf, PayloadOf } from './job-contract';

export class InvalidPayloadError extends Error {
  constructor(readonly jobName: string, readonly problems: string[]) {
    super(`invalid ${jobName} payload: ${problems.join('; ')}`);
    this.name = 'InvalidPayloadError';
  }
}

/** Redis did not take the job (down, unreachable, too slow): the caller must not report success. */
export class EnqueueUnavailableError extends Error {
  constructor(jobName: string, cause: unknown) {
    super(`could not enqueue ${jobName}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EnqueueUnavailableError';
  }
}

export interface ProducerOptions {
  connection: Redis;
  prefix: string;
  /** An enqueue that Redis has not acknowledged within this time fails (default 1000 ms). */
  timeoutMs?: number;
}

export function validatePayload<C extends JobContract>(contract: C, payload: unknown): PayloadOf<C> {
  const parsed = contract.schema.safeParse(payload);
  if (!parsed.success) {
    throw new InvalidPayloadError(
      contract.name,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`),
    );
  }
  return parsed.data as PayloadOf<C>;
}

/** Validates, then adds with the contract's default options. One Queue object per queue name, reused. */
export class Producer {
  private readonly queues = new Map<string, Queue>();
  private readonly timeoutMs: number;

  constructor(private readonly options: ProducerOptions) {
    this.timeoutMs = options.timeoutMs ?? 1_000;
  }

  get prefix(): string {
    return this.options.prefix;
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.options.connection, prefix: this.options.prefix });
      // Connection errors surface on enqueue; the event would otherwise be an unhandled 'error'.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<C extends JobContract>(contract: C, payload: PayloadInputOf<C>, options: JobsOptions = {}): Promise<Job> {
    const data = validatePayload(contract, payload);
    const jobOptions: JobsOptions = { ...contract.defaultOptions, ...options };
    if (!jobOptions.jobId && contract.jobId) jobOptions.jobId = contract.jobId(data);
    return this.withTimeout(contract.name, this.queue(contract.name).add(contract.name, data, jobOptions));
  }

  /** Adds several jobs of one kind atomically (one MULTI): all are durable or none is. */
  async enqueueBulk<C extends JobContract>(contract: C, payloads: PayloadInputOf<C>[]): Promise<Job[]> {
    const jobs = payloads.map((payload) => {
      const data = validatePayload(contract, payload);
      const opts: JobsOptions = { ...contract.defaultOptions };
      if (contract.jobId) opts.jobId = contract.jobId(data);
      return { name: contract.name, data, opts };
    });
    return this.withTimeout(contract.name, this.queue(contract.name).addBulk(jobs));
  }

  private async withTimeout<T>(jobName: string, operation: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([operation, timeout]);
    } catch (error) {
      throw new EnqueueUnavailableError(jobName, error);
    } finally {
      clearTimeout(timer);
      operation.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close().catch(() => undefined)));
    this.queues.clear();
  }
}
