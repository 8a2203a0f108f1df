import { pollIssues, processAlert, type ProcessAlertPayload } from '@triage/contracts';
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
  /** The immediate poll of the body's project, when it said "(N issues)" but listed fewer. */
  projectPoll?: string;
}

export interface IntakeDeps {
  producer: Producer;
  /** GLITCHTIP_BASE_URL is set: a worker can fetch what a body left out. */
  glitchtipApi?: boolean;
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
export async function enqueueAlertSignals(
  { producer, glitchtipApi }: IntakeDeps,
  signals: AlertSignal[],
  receivedAt: Date,
  statedIssueCount = signals.length,
): Promise<IntakeResult> {
  const payloadsById = new Map<string, ProcessAlertPayload>();
  const more = glitchtipApi ? undefined : moreIssuesOf(signals, statedIssueCount);
  for (const signal of signals) {
    const payload = processAlertPayload(signal, receivedAt);
    if (more && payload.kind === 'issue' && payload.issueId === more.issueId) payload.moreIssues = more.moreIssues;
    const id = processAlert.jobId!(payload);
    if (!payloadsById.has(id)) payloadsById.set(id, payload);
  }
  const ids = [...payloadsById.keys()];
  const payloads = [...payloadsById.values()];

  await producer.enqueueBulk(processAlert, payloads);
  return { enqueued: ids.length, duplicates: signals.length - ids.length, jobs: ids };
}

/**
 * Without the API nothing can fetch the issues a body left out: the body's first issue carries how many there are and
 * a link to GlitchTip's issue list, for a "+N more" line.
 */
export function moreIssuesOf(signals: AlertSignal[], statedIssueCount: number): { issueId: string; moreIssues: { count: number; url: string } } | undefined {
  if (statedIssueCount <= signals.length) return undefined;
  const issues = signals.flatMap((signal) => (signal.kind === 'issue' ? [signal] : []));
  const first = issues[0];
  if (!first || statedIssueCount <= issues.length) return undefined;
  // {GLITCHTIP_URL}/{org}/issues/{id} -> {GLITCHTIP_URL}/{org}/issues (the list; the body names no project id).
  const url = first.url.replace(/\/issues\/\d+\/?(?=[?#]|$)/, '/issues').replace(/[?#].*$/, '');
  return { issueId: first.issueId, moreIssues: { count: statedIssueCount - issues.length, url } };
}

/**
 * GlitchTip lists at most 3 issues per body but says "(N issues)": the rest are fetched by a poll of that project
 * now, rather than by the minute poll. Its job id is per project and minute, so a burst of bodies adds one poll.
 * Returns the poll's job id, or undefined when nothing was left out (or there is no API to ask).
 */
export async function enqueueProjectPoll({ producer, glitchtipApi }: IntakeDeps, signals: AlertSignal[], statedIssueCount: number, receivedAt: Date): Promise<string | undefined> {
  const issues = signals.flatMap((signal) => (signal.kind === 'issue' ? [signal] : []));
  const anchor = issues[0];
  if (!glitchtipApi || !anchor || statedIssueCount <= issues.length) return undefined;
  const job = await producer.enqueue(pollIssues, {
    lookbackMinutes: 15,
    requestedAt: receivedAt.toISOString(),
    project: {
      name: anchor.project ?? `issue ${anchor.issueId}`,
      issueId: anchor.issueId,
      listedIssueIds: issues.map((issue) => issue.issueId),
      statedIssueCount,
    },
  });
  return job.id;
}
