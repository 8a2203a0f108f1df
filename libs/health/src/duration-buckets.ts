/** Upper bounds (ms) of the job duration histogram; one more bucket, +Inf, holds the rest. */
export const durationBucketsMs = [10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000] as const;

/** The field of the first bucket a duration fits in (`le_250`, or `le_inf`). */
export function bucketFieldOf(durationMs: number): string {
  const bound = durationBucketsMs.find((limit) => durationMs <= limit);
  return bound === undefined ? 'le_inf' : `le_${bound}`;
}

/** Counts per bucket field (non-cumulative, as stored) -> the p-th percentile's bucket upper bound in ms (Infinity when it lies past the last bound). */
export function percentileFromBuckets(counts: Record<string, number>, percentile: number): number | undefined {
  const total = [...durationBucketsMs.map((limit) => counts[`le_${limit}`] ?? 0), counts.le_inf ?? 0].reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = Math.ceil((percentile / 100) * total);
  let seen = 0;
  for (const limit of durationBucketsMs) {
    seen += counts[`le_${limit}`] ?? 0;
    if (seen >= rank) return limit;
  }
  return Number.POSITIVE_INFINITY;
}
