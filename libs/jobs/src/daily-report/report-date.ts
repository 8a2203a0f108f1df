import { yesterdayIn } from '@triage/reports';

/** A job scheduler's job id ends with the run's scheduled time (`repeat:<scheduler>:<millis>`). */
export function scheduledAt(job: { id?: string; timestamp: number }): Date {
  const millis = /^repeat:.+:(\d{12,})$/.exec(job.id ?? '')?.[1];
  return new Date(millis ? Number(millis) : job.timestamp);
}

/**
 * The day a report job covers: the one it names, else the day that ended before its scheduled run in REPORT_TZ (so a
 * retry hours later still reports the same day).
 */
export function reportDate(payloadDate: string | undefined, job: { id?: string; timestamp: number }, timeZone: string): string {
  return payloadDate ?? yesterdayIn(scheduledAt(job), timeZone);
}
