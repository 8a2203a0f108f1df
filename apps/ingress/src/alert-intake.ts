import { processAlert, type ProcessAlertPayload } from '@triage/contracts';
import type { Producer } from '@triage/queue';
import type { AlertSignal } from '@triage/webhook';

export interface IntakeResult {
  /**
   * Distinct alerts of the body now durably queued. A repeat of an alert already queued in the same dedup window is
   * absorbed by its job id (Redis keeps one job), so it counts here without becoming a second alert.
   */
  enqueued: number;
  /** Signals that repeated another in the same body. */
  duplicates: number;
  /** The job id of every distinct signal, in body order. */
  jobs: string[];
}

export interface IntakeDeps {
  producer: Producer;
}

export function processAlertPayload(signal: AlertSignal, receivedAt: Date): ProcessAlertPayload {
  const envelope = { source: 'webhook' as const, receivedAt: receivedAt.toISOString() };
  return signal.kind === 'issue' ? { ...signal, ...envelope, regression: false } : { ...signal, ...envelope };
}

/**
 * One process-alert job per distinct signal: one add, or one atomic addBulk for several. Deduplication is the
 * contract's job id: Redis ignores an add whose id exists, so a repeated body changes nothing. (Telling new from
 * repeated would take an EXISTS per alert, a fifth of the ingress's throughput, for a figure nobody acts on.)
 * Throws EnqueueUnavailableError (from the Producer) when Redis did not take the jobs.
 */
export async function enqueueAlertSignals({ producer }: IntakeDeps, signals: AlertSignal[], receivedAt: Date): Promise<IntakeResult> {
  const payloadsById = new Map<string, ProcessAlertPayload>();
  for (const signal of signals) {
    const payload = processAlertPayload(signal, receivedAt);
    const id = processAlert.jobId!(payload);
    if (!payloadsById.has(id)) payloadsById.set(id, payload);
  }
  const ids = [...payloadsById.keys()];
  const payloads = [...payloadsById.values()];

  await producer.enqueueBulk(processAlert, payloads);
  return { enqueued: ids.length, duplicates: signals.length - ids.length, jobs: ids };
}
