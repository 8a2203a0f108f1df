import { durationBucketsMs } from './duration-buckets';
import { jobOutcomes, type JobStats, type JobStatsWindow } from './job-stats';

/** Prometheus label values escape backslash, double quote and newline. */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * The workers' per-job-type totals as Prometheus text (a counter by outcome and a duration histogram). Workers run in
 * other processes, so the ingress renders these from Redis at scrape time and appends them to its own registry's text.
 */
export function renderJobStatsMetrics(totals: Array<{ queue: string; window: JobStatsWindow; lastCompletedAt?: Date }>): string {
  const lines = [
    '# HELP triage_jobs_total Job attempts finished by the workers, by queue and outcome (completed, failed for good, retried)',
    '# TYPE triage_jobs_total counter',
  ];
  for (const { queue, window } of totals) {
    for (const outcome of jobOutcomes) lines.push(`triage_jobs_total{queue="${label(queue)}",outcome="${outcome}"} ${window[outcome]}`);
  }
  lines.push('# HELP triage_job_duration_seconds Duration of job attempts, by queue', '# TYPE triage_job_duration_seconds histogram');
  for (const { queue, window } of totals) {
    let cumulative = 0;
    for (const limit of durationBucketsMs) {
      cumulative += window.buckets[`le_${limit}`] ?? 0;
      lines.push(`triage_job_duration_seconds_bucket{queue="${label(queue)}",le="${limit / 1000}"} ${cumulative}`);
    }
    cumulative += window.buckets.le_inf ?? 0;
    lines.push(`triage_job_duration_seconds_bucket{queue="${label(queue)}",le="+Inf"} ${cumulative}`);
    lines.push(`triage_job_duration_seconds_sum{queue="${label(queue)}"} ${window.durationMsSum / 1000}`);
    lines.push(`triage_job_duration_seconds_count{queue="${label(queue)}"} ${cumulative}`);
  }
  lines.push(
    '# HELP triage_job_last_completed_timestamp_seconds When a job of this type last completed (alert when it is old while jobs wait)',
    '# TYPE triage_job_last_completed_timestamp_seconds gauge',
  );
  for (const { queue, lastCompletedAt } of totals) {
    if (lastCompletedAt) lines.push(`triage_job_last_completed_timestamp_seconds{queue="${label(queue)}"} ${lastCompletedAt.getTime() / 1000}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Reads every queue's totals from Redis and renders them. */
export async function jobStatsMetricsText(stats: JobStats): Promise<string> {
  const queues = await stats.queues();
  const totals = await Promise.all(queues.map(async (queue) => ({ queue, window: await stats.totals(queue), lastCompletedAt: await stats.lastCompletedAt(queue) })));
  return renderJobStatsMetrics(totals);
}
