/** Triage's keys beside BullMQ's share the queue prefix (and its Cluster hash tag); same layout as @triage/queue's appKey. */
export function statsKey(prefix: string, ...parts: Array<string | number>): string {
  return [prefix, 'app', 'jobstats', ...parts].join(':');
}

/** UTC hour bucket: `2026-12-03T14`. */
export function hourBucket(at: Date): string {
  return at.toISOString().slice(0, 13);
}

/** UTC day bucket: `2026-12-03`. */
export function dayBucket(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The last `hours` hour buckets ending with the one `now` is in, newest first. */
export function recentHourBuckets(now: Date, hours: number): string[] {
  return Array.from({ length: hours }, (_, index) => hourBucket(new Date(now.getTime() - index * 3_600_000)));
}
