import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Database } from '@triage/db';
import { JobStats, p95DurationMs, successRate, type JobStatsWindow } from '@triage/health';
import { episodeDurations, episodesAlertedBetween, type Episode } from '@triage/outcomes';
import { dateIn } from '../day/day-window';
import type { EpisodeFigures, JobFigures, ReviewInputs, WeekUsage } from './review-types';
import { mondayOf, type ReviewWeek } from './review-weeks';

export interface ReviewSources {
  db: Database;
  /** Job statistics live in Redis (libs/health); without it the jobs section says so. */
  redis: Redis | undefined;
  queuePrefix: string;
  timeZone: string;
  holdoutPercent: number;
}

/** Job statistics keep 30 days of daily aggregates. */
const jobStatsDays = 30;

function before(shown: Date | null, action: Date | null): boolean {
  return shown !== null && action !== null && shown.getTime() <= action.getTime();
}

export function episodeFigures(episode: Episode, timeZone: string): EpisodeFigures {
  const { toAcknowledgeMinutes, toResolveMinutes } = episodeDurations(episode);
  return {
    group: episode.group,
    week: mondayOf(dateIn(episode.alertedAt, timeZone)),
    toAcknowledgeMinutes,
    toResolveMinutes,
    crossover: episode.crossoverAt !== null,
    investigationShownBeforeAction: before(episode.investigationShownAt, episode.acknowledgedAt),
    runbookShownBeforeAction: before(episode.runbookShownAt, episode.acknowledgedAt),
    vote: episode.investigationVote,
  };
}

function sumWindows(windows: JobStatsWindow[]): JobStatsWindow {
  const total: JobStatsWindow = { completed: 0, failed: 0, retried: 0, durationMsSum: 0, buckets: {} };
  for (const window of windows) {
    total.completed += window.completed;
    total.failed += window.failed;
    total.retried += window.retried;
    total.durationMsSum += window.durationMsSum;
    for (const [field, count] of Object.entries(window.buckets)) total.buckets[field] = (total.buckets[field] ?? 0) + count;
  }
  return total;
}

async function jobFigures(sources: ReviewSources, weeks: ReviewWeek[]): Promise<JobFigures[]> {
  if (!sources.redis) return [];
  const stats = new JobStats(sources.redis, sources.queuePrefix);
  const from = weeks[0]!.start.toISOString().slice(0, 10);
  const to = weeks.at(-1)!.end.toISOString().slice(0, 10);
  const figures: JobFigures[] = [];
  for (const queue of await stats.queues()) {
    const days = (await stats.lastDays(queue, jobStatsDays, weeks.at(-1)!.end)).filter((day) => day.day >= from && day.day < to);
    const window = sumWindows(days);
    if (window.completed + window.failed === 0) continue;
    figures.push({ queue, completed: window.completed, failed: window.failed, successRate: successRate(window), p95Ms: p95DurationMs(window) });
  }
  return figures;
}

async function weeklyUsage(db: Database, weeks: ReviewWeek[], timeZone: string): Promise<WeekUsage[]> {
  const from = weeks[0]!.start.toISOString();
  const to = weeks.at(-1)!.end.toISOString();
  const weekOf = (column: string) => sql.raw(`to_char(date_trunc('week', ${column} at time zone '${timeZone.replace(/'/g, "''")}'), 'YYYY-MM-DD')`);
  const investigations = await db.execute<{ week: string; count: string }>(
    sql`select ${weekOf('started_at')} as week, count(*) as count from investigations where started_at >= ${from} and started_at < ${to} group by 1`,
  );
  const actions = await db.execute<{ week: string; source: string; count: string }>(
    // Presses and commands on issues carry their source; read-only commands (/errors, /stats, /runbook) and /bulk are
    // counted by their reply.
    sql`select ${weekOf('at')} as week, case when details->>'source' = 'button' then 'button' else 'command' end as source, count(*) as count
        from audit_log
        where at >= ${from} and at < ${to} and actor like 'telegram:%' and result <> 'refused'
          and (details->>'source' in ('command', 'button') or action like 'reply.command.%' or action = 'reply.bulk-preview')
        group by 1, 2`,
  );
  const clicks = await db.execute<{ week: string; count: string }>(
    sql`select to_char(date_trunc('week', day::timestamp), 'YYYY-MM-DD') as week, sum(clicks) as count from runbook_clicks
        where day >= ${from.slice(0, 10)}::date and day < ${to.slice(0, 10)}::date group by 1`,
  );
  const count = (rows: Iterable<{ week: string; count: string }>, week: string) => Number([...rows].find((row) => row.week === week)?.count ?? 0);
  return weeks.map(({ monday }) => ({
    week: monday,
    investigations: count(investigations, monday),
    commands: Number([...actions].find((row) => row.week === monday && row.source === 'command')?.count ?? 0),
    buttonPresses: Number([...actions].find((row) => row.week === monday && row.source === 'button')?.count ?? 0),
    runbookClicks: count(clicks, monday),
  }));
}

/** Everything the weekly review reports on, read from Postgres (episodes, audit log, investigations, runbooks) and Redis (job stats). */
export async function collectReviewInputs(sources: ReviewSources, weeks: ReviewWeek[]): Promise<ReviewInputs> {
  const from = weeks[0]!.start;
  const to = weeks.at(-1)!.end;
  const episodes = await episodesAlertedBetween(sources.db, from, to);
  const [posted] = await sources.db.execute<{ count: string }>(
    sql`select count(*) as count from runbook_links where state = 'posted' and coalesce(posted_at, created_at) >= ${from.toISOString()} and coalesce(posted_at, created_at) < ${to.toISOString()}`,
  );
  const [runs] = await sources.db.execute<{ helpful: string; not_helpful: string; hits: string; misses: string }>(
    sql`select count(*) filter (where vote = 'helpful') as helpful, count(*) filter (where vote = 'not-helpful') as not_helpful,
               count(*) filter (where from_cache and status in ('done', 'partial')) as hits,
               count(*) filter (where not from_cache and status in ('done', 'partial')) as misses
        from investigations where started_at >= ${from.toISOString()} and started_at < ${to.toISOString()}`,
  );
  const hits = Number(runs?.hits ?? 0);
  const misses = Number(runs?.misses ?? 0);
  return {
    weeks,
    timeZone: sources.timeZone,
    votes: { helpful: Number(runs?.helpful ?? 0), notHelpful: Number(runs?.not_helpful ?? 0) },
    holdoutPercent: sources.holdoutPercent,
    episodes: episodes.map((episode) => episodeFigures(episode, sources.timeZone)),
    runbookLinks: { posted: Number(posted?.count ?? 0), votedWrong: undefined },
    cache: hits + misses > 0 ? { hits, misses } : undefined,
    jobs: await jobFigures(sources, weeks),
    usage: await weeklyUsage(sources.db, weeks, sources.timeZone),
  };
}
