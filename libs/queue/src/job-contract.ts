import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';

/**
 * One job kind: its queue (one job name per queue, named alike), its payload schema, the default options every
 * producer gets, and how to derive a deterministic job id for deduplication when the job has one.
 */
export interface JobContract<Name extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly name: Name;
  readonly schema: Schema;
  readonly defaultOptions: JobsOptions;
  readonly jobId?: (payload: z.output<Schema>) => string;
  readonly description: string;
}

export type PayloadOf<C extends JobContract> = z.output<C['schema']>;
export type PayloadInputOf<C extends JobContract> = z.input<C['schema']>;

const retention = {
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 5_000 },
} satisfies JobsOptions;

/** Exponential backoff with jitter so retries from a burst do not hit GlitchTip or Telegram in lockstep. */
export function retryPolicy(attempts: number, firstDelayMs: number): JobsOptions {
  return { attempts, backoff: { type: 'exponential', delay: firstDelayMs, jitter: 0.5 }, ...retention };
}

export function defineJob<Name extends string, Schema extends z.ZodType>(
  contract: JobContract<Name, Schema>,
): JobContract<Name, Schema> {
  if (contract.jobId && contract.defaultOptions.jobId) throw new Error(`${contract.name}: give jobId() or defaultOptions.jobId, not both`);
  return contract;
}

/** BullMQ refuses custom ids that contain ':' or look like integers; make any key safe. */
export function safeJobId(...parts: Array<string | number>): string {
  return parts.map((part) => String(part).replace(/[^A-Za-z0-9_.-]/g, '_')).join('-');
}
