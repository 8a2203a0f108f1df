import { processAlert, type ProcessAlertPayload } from '@triage/jobs';
import type { Producer } from '@triage/queue';
import type { AlertSignal } from '@triage/webhook';
import type { Redis } from 'ioredis';

export interface IntakeResult {
  /** New process-alert jobs Redis accepted. */
  enqueued: number;
  /** Signals whose job (same issue or monitor in the same dedup window) was already queued, or repeated in the body. */
  duplicates: number;
  /** The job id of every distinct signal, new or not, in body order. */
  jobs: string[];
}

export interface IntakeDeps {
  producer: Producer;
  /** The producer's own connection: the existence check must travel on the same socket as the enqueue. */
  redis: Redis;
}

export function processAlertPayload(signal: AlertSignal, receivedAt: Date): ProcessAlertPayload {
  const envelope = { source: 'webhook' as const, receivedAt: receivedAt.toISOString() };
  return signal.kind === 'issue' ? { ...signal, ...envelope, regression: false } : { ...signal, ...envelope };
}

/**
 * One process-alert job per distinct signal: one add, or one atomic addBulk for several. Deduplication is the
 * contract's job id: Redis ignores an add whose id exists, so a repeated body changes nothing. To say how many were
 * new, EXISTS for each id is sent just before the add on the same connection, so Redis answers it first without an
 * extra round trip. Throws EnqueueUnavailableError (from the Producer) when Redis did not take the jobs.
 */
export async function enqueueAlertSignals({ producer, redis }: IntakeDeps, signals: AlertSignal[], receivedAt: Date): Promise<IntakeResult> {
  const payloadsById = new Map<string, ProcessAlertPayload>();
  for (const signal of signals) {
    const payload = processAlertPayload(signal, receivedAt);
    const id = processAlert.jobId!(payload);
    if (!payloadsById.has(id)) payloadsById.set(id, payload);
  }
  const ids = [...payloadsById.keys()];
  const payloads = [...payloadsById.values()];

  const queue = producer.queue(processAlert.name);
  // Plain commands rather than a pipeline: an ioredis pipeline copies every loaded BullMQ script onto itself.
  const existence = Promise.all(ids.map((id) => redis.exists(queue.toKey(id))));
  existence.catch(() => undefined); // a failure here also fails the enqueue, which is what the caller hears about
  if (payloads.length === 1) await producer.enqueue(processAlert, payloads[0]!);
  else await producer.enqueueBulk(processAlert, payloads);
  // Redis took the jobs, so it has answered the earlier EXISTS too; if that reply was an error, count them as new.
  const existed = await existence.catch(() => ids.map(() => 0));
  const enqueued = existed.filter((count) => count === 0).length;
  return { enqueued, duplicates: signals.length - enqueued, jobs: ids };
}
