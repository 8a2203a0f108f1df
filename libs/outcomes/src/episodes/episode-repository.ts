import { and, desc, eq, sql } from 'drizzle-orm';
import { episodes, type Database } from '@triage/db';
import type { ClosedAs, ClosedVia, Episode, EpisodeState, InvestigationVote, OutcomeEvent } from './episode';
import { applyOutcomeEvent, type EpisodeChange } from './episode-machine';
import type { ExperimentGroup } from './holdout';

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
