import { and, desc, eq, sql } from 'drizzle-orm';
import { recordOutcomeOnAlert } from '@triage/alerts';
import { episodes, type Database } from '@triage/db';
import type { ClosedAs, ClosedVia, Episode, EpisodeState, InvestigationVote, OutcomeEvent } from './episode';
import { applyOutcomeEvent, type EpisodeChange } from './episode-machine';
import { holdoutGroupOf, type ExperimentGroup } from './holdout';

/** The one module that writes the episodes table: every write is a change computed by the episode state machine. */

type EpisodeRow = typeof episodes.$inferSelect;

function toEpisode(row: EpisodeRow): Episode {
  return {
    issueId: row.issueId,
    seq: row.seq,
    state: row.state as EpisodeState,
    group: row.experimentGroup as ExperimentGroup,
    regression: row.regression,
    alertCount: row.alertCount,
    alertedAt: row.alertedAt,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy,
    firstAction: row.firstAction,
    closedAt: row.closedAt,
    closedAs: row.closedAs as ClosedAs | null,
    closedVia: row.closedVia as ClosedVia | null,
    closedBy: row.closedBy,
    investigationShownAt: row.investigationShownAt,
    runbookShownAt: row.runbookShownAt,
    investigationVote: row.investigationVote as InvestigationVote | null,
    runbookClicks: row.runbookClicks,
    crossoverAt: row.crossoverAt,
    crossoverAction: row.crossoverAction,
  };
}

function columnsOf(episode: Episode) {
  return {
    state: episode.state,
    experimentGroup: episode.group,
    regression: episode.regression,
    alertCount: episode.alertCount,
    alertedAt: episode.alertedAt,
    acknowledgedAt: episode.acknowledgedAt,
    acknowledgedBy: episode.acknowledgedBy,
    firstAction: episode.firstAction,
    closedAt: episode.closedAt,
    closedAs: episode.closedAs,
    closedVia: episode.closedVia,
    closedBy: episode.closedBy,
    investigationShownAt: episode.investigationShownAt,
    runbookShownAt: episode.runbookShownAt,
    investigationVote: episode.investigationVote,
    runbookClicks: episode.runbookClicks,
    crossoverAt: episode.crossoverAt,
    crossoverAction: episode.crossoverAction,
    updatedAt: sql`now()`,
  };
}

type Executor = Pick<Database, 'select' | 'insert' | 'update'>;

async function latestEpisode(db: Executor, issueId: string): Promise<Episode | undefined> {
  const [row] = await db.select().from(episodes).where(eq(episodes.issueId, issueId)).orderBy(desc(episodes.seq)).limit(1);
  return row ? toEpisode(row) : undefined;
}

async function save(db: Executor, episode: Episode): Promise<void> {
  await db.update(episodes).set(columnsOf(episode)).where(and(eq(episodes.issueId, episode.issueId), eq(episodes.seq, episode.seq)));
}

/** What the alert message shows of the current episode (the alerts row, when the issue has one). */
async function showOnAlert(db: Executor, episode: Episode): Promise<void> {
  const outcome = { acknowledgedBy: episode.acknowledgedBy, acknowledgedAt: episode.acknowledgedAt?.toISOString() ?? null, group: episode.group };
  await recordOutcomeOnAlert(db, episode.issueId, outcome);
}

/**
 * Records one outcome event (an alert, a press or command, a close seen by the poller, help shown, a vote, a click).
 * Events of one issue are serialized by a transaction-scoped advisory lock, so concurrent workers cannot both open
 * "the next" episode. Returns the issue's current episode after the event.
 */
export async function recordOutcomeEvent(db: Database, event: OutcomeEvent): Promise<{ change: EpisodeChange['kind']; episode: Episode | undefined }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`episode:${event.issueId}`}))`);
    const latest = await latestEpisode(tx, event.issueId);
    const change = applyOutcomeEvent(latest, event);
    if (change.kind === 'none') return { change: change.kind, episode: latest };
    if (change.kind === 'open') {
      if (change.closedBefore) await save(tx, change.closedBefore);
      await tx.insert(episodes).values({ issueId: change.episode.issueId, seq: change.episode.seq, ...columnsOf(change.episode) });
    } else {
      await save(tx, change.episode);
    }
    await showOnAlert(tx, change.episode);
    return { change: change.kind, episode: change.episode };
  });
}

/** The issue's latest episode (what its alert message shows: who acknowledged, which group). */
export async function currentEpisode(db: Database, issueId: string): Promise<Episode | undefined> {
  return latestEpisode(db, issueId);
}

/** Episodes that began in [from, to), for the weekly review. */
export async function episodesAlertedBetween(db: Database, from: Date, to: Date): Promise<Episode[]> {
  const rows = await db
    .select()
    .from(episodes)
    .where(and(sql`${episodes.alertedAt} >= ${from.toISOString()}`, sql`${episodes.alertedAt} < ${to.toISOString()}`))
    .orderBy(episodes.alertedAt);
  return rows.map(toEpisode);
}

/**
 * Fills each episode's help facts from the tables that record them (investigations: finished runs and their votes;
 * runbook_links: posted links; runbook_clicks: clicks per day), for episodes alerted in [from, to). Deriving them
 * here needs no hook in the investigation and runbook code, and a rerun gives the same answer. Returns how many
 * episodes changed.
 */
export async function syncHelpFacts(db: Database, from: Date, to: Date): Promise<number> {
  const rows = await db.execute<{
    issue_id: string;
    seq: number;
    investigation_shown_at: string | null;
    runbook_shown_at: string | null;
    vote: string | null;
    clicks: string | null;
  }>(sql`
    with window_episodes as (
      select issue_id, seq, alerted_at, coalesce(closed_at, 'infinity'::timestamptz) as until,
             investigation_shown_at, runbook_shown_at, investigation_vote, runbook_clicks
      from episodes where alerted_at >= ${from.toISOString()} and alerted_at < ${to.toISOString()}
    ), facts as (
      select e.*,
        (select min(i.finished_at) from investigations i
          where i.issue_id = e.issue_id and i.status in ('done', 'partial') and i.finished_at >= e.alerted_at and i.finished_at <= e.until) as shown_investigation,
        (select i.vote from investigations i
          where i.issue_id = e.issue_id and i.vote is not null and i.started_at >= e.alerted_at and i.started_at <= e.until
          order by i.voted_at desc nulls last limit 1) as shown_vote,
        (select min(coalesce(r.posted_at, r.created_at)) from runbook_links r
          where r.issue_id = e.issue_id and r.state = 'posted' and coalesce(r.posted_at, r.created_at) >= e.alerted_at
            and coalesce(r.posted_at, r.created_at) <= e.until) as shown_runbook,
        (select coalesce(sum(c.clicks), 0) from runbook_clicks c
          where c.issue_id = e.issue_id and c.day >= (e.alerted_at at time zone 'UTC')::date
            and (e.until = 'infinity'::timestamptz or c.day <= (e.until at time zone 'UTC')::date)) as shown_clicks
      from window_episodes e
    )
    select issue_id, seq, shown_investigation as investigation_shown_at, shown_runbook as runbook_shown_at, shown_vote as vote, shown_clicks as clicks
    from facts
    where shown_investigation is distinct from investigation_shown_at or shown_runbook is distinct from runbook_shown_at
       or shown_vote is distinct from investigation_vote or shown_clicks <> runbook_clicks`);
  let changed = 0;
  for (const row of rows) {
    const vote = row.vote === 'helpful' || row.vote === 'not-helpful' ? row.vote : null;
    await db
      .update(episodes)
      .set({
        investigationShownAt: row.investigation_shown_at === null ? null : new Date(row.investigation_shown_at),
        runbookShownAt: row.runbook_shown_at === null ? null : new Date(row.runbook_shown_at),
        investigationVote: vote,
        runbookClicks: Number(row.clicks ?? 0),
        updatedAt: sql`now()`,
      })
      .where(and(eq(episodes.issueId, row.issue_id), eq(episodes.seq, row.seq)));
    changed += 1;
  }
  return changed;
}

/**
 * The issue's A/B group as its episodes recorded it (fixed at its first episode), else what the hash would give a new
 * issue now. Jobs that hold back automatic help should ask this rather than the hash alone: an issue alerted before
 * the holdout was switched on stays in the treatment group.
 */
export async function experimentGroupOf(db: Database, issueId: string, holdoutPercent: number): Promise<ExperimentGroup> {
  const [row] = await db.select({ group: episodes.experimentGroup }).from(episodes).where(eq(episodes.issueId, issueId)).orderBy(episodes.seq).limit(1);
  return row ? (row.group as ExperimentGroup) : holdoutGroupOf(issueId, holdoutPercent);
}
