import type { TimeRange } from './issue-day-events';

const hourMs = 3_600_000;

/** UTC hour starts (ms) inside a range: the hours counted for it (the same rule as the stats_v2 totals). */
export function hourStartsIn(range: TimeRange): number[] {
  const hours: number[] = [];
  for (let hour = Math.ceil(range.start.getTime() / hourMs) * hourMs; hour < range.end.getTime(); hour += hourMs) hours.push(hour);
  return hours;
}

/**
 * Whether every hour of a range was read complete: GlitchTip's hourly stats at time T hold the hours that started in
 * (T - 24 h, T], and an hour is only complete once it has ended, so hour h needs a read at some T in [h + 1 h, h + 24 h).
 */
export function rangeCovered(range: TimeRange, readTimes: number[]): boolean {
  const sorted = [...readTimes].sort((a, b) => a - b);
  return hourStartsIn(range).every((hour) => sorted.some((at) => at >= hour + hourMs && at < hour + 24 * hourMs));
}

/** Events in a range from per-hour counts (hour start ms -> events). */
export function eventsFromHours(range: TimeRange, hours: ReadonlyMap<number, number>): number {
  return hourStartsIn(range).reduce((sum, hour) => sum + (hours.get(hour) ?? 0), 0);
}
