/** Triage's own health: job counters kept in Redis by the workers, queue state, and the stuck-queue rule (usable by the ingress). */
export { JobStats, jobOutcomes, successRate, p95DurationMs, type JobActivity, type JobOutcome, type JobStatsWindow } from './job-stats';
export { durationBucketsMs, bucketFieldOf, percentileFromBuckets } from './duration-buckets';
export { renderJobStatsMetrics, jobStatsMetricsText } from './job-stats-metrics';
export { readQueueState, readQueueStates, isStuck, stuckReason, lastActivityAt, defaultStuckAfterMs, type QueueState } from './queue-state';
export { summarizeHealth, type HealthInputs, type HealthSummary, type Reachability } from './health-summary';
