import type { GlitchTipClient, GlitchTipIssue } from '@triage/glitchtip';
import type { IssueDayFigures } from '../aggregate/report-types';
import { eventsFromHours, rangeCovered } from './hour-coverage';
import { eventsFromDailyBuckets, hourAligned, statsV2EventsInRange, wholeUtcDays, type TimeRange } from './issue-day-events';

/** Per-issue hourly counts kept beyond GlitchTip's 24 h (issue_hour_events), so any zone's day is counted exactly. */
export interface HourHistory {
  read(issueIds: string[], from: Date, to: Date): Promise<Map<string, Map<number, number>>>;
  readTimes(from: Date, to: Date): Promise<number[]>;
  /** Keeps this read's hours (the job does; a dry run does not). */
  save?(takenAt: Date, rows: Array<{ issueId: string; hour: number; events: number }>, complete: boolean): Promise<void>;
}

export type ReportGlitchTip = Pick<GlitchTipClient, 'iterateIssues' | 'getIssuesStats' | 'getStatsV2' | 'getIssueTags'>;

/**
 * How the day's per-issue (so per-component) counts were read: from hourly counts or whole UTC daily buckets (exact),
 * split from daily buckets (estimated), or not at all (unknown: the day is older than both the kept hours and
 * GlitchTip's 14 daily buckets, so every issue would count 0).
 */
export type IssueBreakdown = 'exact' | 'estimated' | 'unknown';

export interface GlitchTipFigures {
  totalEvents: { day: number; dayBefore: number };
  issues: IssueDayFigures[];
  caveats: string[];
  breakdown: IssueBreakdown;
}

export interface CollectOptions {
  day: TimeRange;
  dayBefore: TimeRange;
  componentTag: string;
  /** When the figures are read: issues-stats' hourly window ends here. */
  now: Date;
  /** The issue's page in GlitchTip when the API gives no permalink. */
  issueUrl: (issue: GlitchTipIssue) => string | undefined;
  /** Pages of 100 issues walked, most recently seen first (default 20). */
  maxPages?: number;
  hourHistory?: HourHistory;
}

const statsField = 'sum(quantity)';
const dayMs = 86_400_000;

/** issues-stats 14d sums the hours after now - 14 days per UTC day: a range is whole there when its first bucket is. */
export function withinDailyStats(range: TimeRange, now: Date): boolean {
  return Math.floor(range.start.getTime() / dayMs) * dayMs > now.getTime() - 14 * dayMs;
}

/**
 * How exact the day's per-issue counts are. A day our clock places past the 14 daily buckets that still got counts
 * (GlitchTip's clock or retention differ) is an estimate: it may be cut short, so it never replaces stored rows.
 */
export function breakdownOf(hoursCover: boolean, range: TimeRange, now: Date, anyEvents: boolean): IssueBreakdown {
  if (hoursCover) return 'exact';
  if (!withinDailyStats(range, now)) return anyEvents ? 'estimated' : 'unknown';
  return wholeUtcDays(range) ? 'exact' : 'estimated';
}
const tagConcurrency = 4;

/** The issues seen since the start of the day before, most recently seen first, stopping at the first older one. */
async function recentIssues(client: ReportGlitchTip, since: Date, maxPages: number): Promise<{ issues: GlitchTipIssue[]; truncated: boolean }> {
  const issues: GlitchTipIssue[] = [];
  for await (const issue of client.iterateIssues({ sort: '-last_seen', limit: 100 }, { maxPages })) {
    if (Date.parse(issue.lastSeen) < since.getTime()) return { issues, truncated: false };
    issues.push(issue);
  }
  return { issues, truncated: issues.length >= maxPages * 100 };
}

/** The issue's most frequent value of the component tag, or 'unknown'. */
async function componentOf(client: ReportGlitchTip, issueId: string, tag: string): Promise<string> {
  const tags = await client.getIssueTags(issueId, tag);
  const values = tags.find((candidate) => candidate.key === tag)?.topValues ?? [];
  const top = [...values].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))[0];
  return top?.value.trim() || 'unknown';
}

async function mapLimited<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** The day's and the day before's figures from the GlitchTip API: stats_v2 for totals, issues + issues-stats + tags per issue. */
export async function collectGlitchTipFigures(client: ReportGlitchTip, options: CollectOptions): Promise<GlitchTipFigures> {
  const { day, dayBefore, componentTag, now } = options;
  const caveats: string[] = [];
  const statsRange = hourAligned({ start: dayBefore.start, end: day.end });
  const stats = await client.getStatsV2({ category: 'error', field: statsField, interval: '1h', start: statsRange.start, end: statsRange.end });
  const totalEvents = { day: statsV2EventsInRange(stats, statsField, day), dayBefore: statsV2EventsInRange(stats, statsField, dayBefore) };

  const { issues, truncated } = await recentIssues(client, dayBefore.start, options.maxPages ?? 20);
  if (truncated) caveats.push(`Only the ${issues.length} most recently seen issues are broken down; totals count every event.`);
  const ids = issues.map((issue) => issue.id);
  const [hourlyStats, dailyStats] = await Promise.all([client.getIssuesStats(ids, '24h'), client.getIssuesStats(ids, '14d')]);
  const daily = new Map(dailyStats.map((entry) => [entry.id, entry.stats['14d']]));
  const rows = hourlyStats.flatMap((entry) => (entry.stats['24h'] ?? []).map(([at, events]) => ({ issueId: entry.id, hour: at * 1000, events })));
  // The list holds every issue with an event in the last 24 h unless paging cut it short: only then is this read complete.
  const complete = !truncated;
  const history = options.hourHistory;
  if (history?.save) await history.save(now, rows, complete);
  const hours = history ? await history.read(ids, dayBefore.start, day.end) : new Map<string, Map<number, number>>();
  for (const row of rows) {
    const issueHours = hours.get(row.issueId) ?? new Map<number, number>();
    issueHours.set(row.hour, Math.max(issueHours.get(row.hour) ?? 0, row.events));
    hours.set(row.issueId, issueHours);
  }
  const readTimes = [...(history ? await history.readTimes(dayBefore.start, new Date(day.end.getTime() + 25 * 3_600_000)) : []), ...(complete ? [now.getTime()] : [])];
  const byHours = { day: rangeCovered(day, readTimes), dayBefore: rangeCovered(dayBefore, readTimes) };
  const eventsOf = (issueId: string, range: TimeRange, exactHours: boolean) =>
    exactHours ? eventsFromHours(range, hours.get(issueId) ?? new Map<number, number>()) : eventsFromDailyBuckets(range, daily.get(issueId) ?? null);

  const counted = issues
    .map((issue) => ({ issue, events: eventsOf(issue.id, day, byHours.day), eventsDayBefore: eventsOf(issue.id, dayBefore, byHours.dayBefore) }))
    .filter((entry) => entry.events > 0 || entry.eventsDayBefore > 0);
  const breakdown = breakdownOf(byHours.day, day, now, counted.some((entry) => entry.events > 0));
  if (breakdown === 'estimated') {
    caveats.push('Per-issue and per-component counts are estimated from GlitchTip\'s daily (UTC) buckets; the totals are exact.');
  }
  const components = await mapLimited(counted, tagConcurrency, (entry) => componentOf(client, entry.issue.id, componentTag));
  return {
    totalEvents,
    caveats,
    breakdown,
    issues: counted.map(({ issue, events, eventsDayBefore }, index) => ({
      id: issue.id,
      title: issue.title,
      shortId: issue.shortId,
      link: issue.permalink ?? options.issueUrl(issue),
      component: components[index]!,
      status: issue.status,
      level: issue.level,
      firstSeen: new Date(issue.firstSeen),
      events,
      eventsDayBefore,
    })),
  };
}

/**
 * The hourly counts of every issue seen in the last 24 h, for the history (run every 30 minutes by a scheduler, so
 * every hour is read complete at least once before GlitchTip drops it).
 */
export async function readRecentIssueHours(
  client: ReportGlitchTip,
  now: Date,
  maxPages = 20,
): Promise<{ rows: Array<{ issueId: string; hour: number; events: number }>; complete: boolean }> {
  const { issues, truncated } = await recentIssues(client, new Date(now.getTime() - 25 * 3_600_000), maxPages);
  const stats = await client.getIssuesStats(issues.map((issue) => issue.id), '24h');
  const rows = stats.flatMap((entry) => (entry.stats['24h'] ?? []).map(([at, events]) => ({ issueId: entry.id, hour: at * 1000, events })));
  return { rows, complete: !truncated };
}
