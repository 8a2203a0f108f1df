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

/** The validated payload and its options: the contract's defaults, the caller's, and the deterministic job id. */
function prepare<C extends JobContract>(contract: C, payload: PayloadInputOf<C>, options: JobsOptions): { data: PayloadOf<C>; opts: JobsOptions } {
  const data = validatePayload(contract, payload);
  const opts: JobsOptions = { ...contract.defaultOptions, ...options };
  if (!opts.jobId && contract.jobId) opts.jobId = contract.jobId(data);
  return { data, opts };
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
    const { data, opts } = prepare(contract, payload, options);
    return this.withTimeout(contract.name, this.queue(contract.name).add(contract.name, data, opts));
  }

  /**
   * Adds several jobs of one kind atomically (one MULTI): all are durable or none is. A single job is a plain add,
   * which is the same guarantee without the MULTI (whose pipeline copies every loaded BullMQ script).
   */
  async enqueueBulk<C extends JobContract>(contract: C, payloads: PayloadInputOf<C>[]): Promise<Job[]> {
    if (payloads.length === 1) return [await this.enqueue(contract, payloads[0]!)];
    const jobs = payloads.map((payload) => ({ name: contract.name, ...prepare(contract, payload, {}) }));
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
