import type { StatsV2 } from '@triage/glitchtip';

export interface TimeRange {
  start: Date;
  end: Date;
}

const hourMs = 3_600_000;
const dayMs = 86_400_000;

/** GlitchTip's daily buckets are UTC days: a range of whole UTC days is counted exactly from them. */
export function wholeUtcDays(range: TimeRange): boolean {
  return range.start.getTime() % dayMs === 0 && range.end.getTime() % dayMs === 0;
}

/** A range's share of GlitchTip's daily (UTC) buckets: exact for whole UTC days, split by overlap otherwise. */
export function eventsFromDailyBuckets(range: TimeRange, daily: Array<[number, number]> | null): number {
  let events = 0;
  for (const [at, count] of daily ?? []) {
    const bucketStart = at * 1000;
    const overlap = Math.min(bucketStart + dayMs, range.end.getTime()) - Math.max(bucketStart, range.start.getTime());
    if (overlap > 0) events += (count * overlap) / dayMs;
  }
  return Math.round(events);
}

/** Organization-wide events in a range from stats_v2's hourly buckets (each counted when it starts inside the range). */
export function statsV2EventsInRange(stats: StatsV2, field: string, range: TimeRange): number {
  const values = stats.groups.flatMap((group) => [group.series[field] ?? []]);
  let events = 0;
  stats.intervals.forEach((interval, index) => {
    const at = Date.parse(interval);
    if (at < range.start.getTime() || at >= range.end.getTime()) return;
    for (const series of values) events += series[index] ?? 0;
  });
  return events;
}

/** Whole hours only: stats_v2 is hourly, so a range is widened to the hours it touches. */
export function hourAligned(range: TimeRange): TimeRange {
  return { start: new Date(Math.floor(range.start.getTime() / hourMs) * hourMs), end: new Date(Math.ceil(range.end.getTime() / hourMs) * hourMs) };
}
