import type { GlitchTipClient, GlitchTipIssue, IssueStats } from '@triage/glitchtip';
import type { IssueDayFigures, IssueStatus } from '../aggregate/report-types';
import { eventsInRange, exactForRange, hourAligned, statsV2EventsInRange, type TimeRange } from './issue-day-events';

export type ReportGlitchTip = Pick<GlitchTipClient, 'iterateIssues' | 'getIssuesStats' | 'getStatsV2' | 'getIssueTags'>;

export interface GlitchTipFigures {
  totalEvents: { day: number; dayBefore: number };
  issues: IssueDayFigures[];
  caveats: string[];
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
}

const statsField = 'sum(quantity)';
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
  const seriesOf = (list: IssueStats[], period: '24h' | '14d') => new Map(list.map((entry) => [entry.id, entry.stats[period]]));
  const hourly = seriesOf(hourlyStats, '24h');
  const daily = seriesOf(dailyStats, '14d');
  const hourlyFrom = new Date(now.getTime() - 24 * 3_600_000);
  if (!exactForRange(day, hourlyFrom)) {
    caveats.push('Per-issue and per-component counts are estimated from GlitchTip\'s daily (UTC) buckets; the totals are exact.');
  }

  const counted = issues
    .map((issue) => {
      const series = { hourly: hourly.get(issue.id) ?? null, daily: daily.get(issue.id) ?? null };
      return { issue, events: eventsInRange(day, series, hourlyFrom), eventsDayBefore: eventsInRange(dayBefore, series, hourlyFrom) };
    })
    .filter((entry) => entry.events > 0 || entry.eventsDayBefore > 0);
  const components = await mapLimited(counted, tagConcurrency, (entry) => componentOf(client, entry.issue.id, componentTag));
  return {
    totalEvents,
    caveats,
    issues: counted.map(({ issue, events, eventsDayBefore }, index) => ({
      id: issue.id,
      title: issue.title,
      shortId: issue.shortId,
      link: issue.permalink ?? options.issueUrl(issue),
      component: components[index]!,
      status: issue.status as IssueStatus,
      level: issue.level,
      firstSeen: new Date(issue.firstSeen),
      events,
      eventsDayBefore,
    })),
  };
}
