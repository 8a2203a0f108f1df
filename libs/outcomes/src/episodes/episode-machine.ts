import { helpActions, isClosed, type ClosedAs, type ClosedVia, type Episode, type OutcomeEvent } from './episode';
import { holdoutGroupOf } from './holdout';

/** What an event does to an issue's episodes: open the next one (and maybe close the current), change it, or nothing. */
export type EpisodeChange =
  | { kind: 'open'; episode: Episode; closedBefore?: Episode }
  | { kind: 'update'; episode: Episode }
  | { kind: 'none'; reason: string };

function newEpisode(issueId: string, seq: number, at: Date, group: Episode['group'], regression: boolean): Episode {
  return {
    issueId,
    seq,
    state: 'open',
    group,
    regression,
    alertCount: 1,
    alertedAt: at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    firstAction: null,
    closedAt: null,
    closedAs: null,
    closedVia: null,
    closedBy: null,
    investigationShownAt: null,
    runbookShownAt: null,
    investigationVote: null,
    runbookClicks: 0,
    crossoverAt: null,
    crossoverAction: null,
  };
}

function close(episode: Episode, at: Date, as: ClosedAs, via: ClosedVia, by: string | null): Episode {
  return { ...episode, state: as, closedAt: at, closedAs: as, closedVia: via, closedBy: by };
}

/**
 * The episode state machine: pure, driven by events that carry their own time. The group is drawn once, at the
 * issue's first episode (only new issues enter the experiment), and kept by its later episodes.
 */
export function applyOutcomeEvent(latest: Episode | undefined, event: OutcomeEvent): EpisodeChange {
  switch (event.type) {
    case 'alerted': {
      if (!latest) return { kind: 'open', episode: newEpisode(event.issueId, 1, event.at, holdoutGroupOf(event.issueId, event.holdoutPercent), event.regression) };
      // A retried job (or a late copy) carries the same receive time: it is the alert that opened this episode.
      if (event.at.getTime() <= latest.alertedAt.getTime()) return { kind: 'none', reason: 'this alert is not newer than the episode' };
      if (isClosed(latest)) return { kind: 'open', episode: newEpisode(event.issueId, latest.seq + 1, event.at, latest.group, true) };
      // A regression of an episode we still think open: GlitchTip had it closed without our seeing it.
      if (event.regression) {
        return {
          kind: 'open',
          closedBefore: close(latest, event.at, 'resolved', 'glitchtip', null),
          episode: newEpisode(event.issueId, latest.seq + 1, event.at, latest.group, true),
        };
      }
      return { kind: 'update', episode: { ...latest, alertCount: latest.alertCount + 1 } };
    }
    case 'action': {
      if (!latest) return { kind: 'none', reason: 'no alert episode for this issue' };
      if (isClosed(latest)) return { kind: 'none', reason: `the episode is already ${latest.state}` };
      let next: Episode = latest;
      if (next.acknowledgedAt === null) next = { ...next, state: 'acknowledged', acknowledgedAt: event.at, acknowledgedBy: event.actor, firstAction: event.action };
      if (next.group === 'control' && next.crossoverAt === null && helpActions.includes(event.action)) {
        next = { ...next, crossoverAt: event.at, crossoverAction: event.action };
      }
      if (event.action === 'resolve') next = close(next, event.at, 'resolved', 'telegram', event.actor);
      if (event.action === 'ignore') next = close(next, event.at, 'ignored', 'telegram', event.actor);
      return next === latest ? { kind: 'none', reason: 'nothing new' } : { kind: 'update', episode: next };
    }
    case 'closed-outside': {
      if (!latest || isClosed(latest)) return { kind: 'none', reason: 'no open episode' };
      return { kind: 'update', episode: close(latest, event.at, event.status, 'glitchtip', null) };
    }
    case 'help-shown': {
      if (!latest || isClosed(latest)) return { kind: 'none', reason: 'no open episode' };
      const field = event.help === 'investigation' ? 'investigationShownAt' : 'runbookShownAt';
      if (latest[field] !== null) return { kind: 'none', reason: `${event.help} already shown` };
      return { kind: 'update', episode: { ...latest, [field]: event.at } };
    }
    case 'investigation-vote': {
      if (!latest) return { kind: 'none', reason: 'no alert episode for this issue' };
      if (latest.investigationVote === event.vote) return { kind: 'none', reason: 'same vote' };
      return { kind: 'update', episode: { ...latest, investigationVote: event.vote } };
    }
    case 'runbook-click': {
      if (!latest) return { kind: 'none', reason: 'no alert episode for this issue' };
      return { kind: 'update', episode: { ...latest, runbookClicks: latest.runbookClicks + 1 } };
    }
  }
}

/** Folds a script of events into every episode it produces, oldest first (the machine's table tests use this). */
export function replayOutcomeEvents(events: readonly OutcomeEvent[]): Episode[] {
  const byIssue = new Map<string, Episode[]>();
  for (const event of events) {
    const episodes = byIssue.get(event.issueId) ?? [];
    const change = applyOutcomeEvent(episodes.at(-1), event);
    if (change.kind === 'open') {
      if (change.closedBefore) episodes[episodes.length - 1] = change.closedBefore;
      episodes.push(change.episode);
    } else if (change.kind === 'update') {
      episodes[episodes.length - 1] = change.episode;
    }
    byIssue.set(event.issueId, episodes);
  }
  return [...byIssue.values()].flat();
}

/** Minutes from alert to first human action / to close; null while it has not happened. */
export function episodeDurations(episode: Episode): { toAcknowledgeMinutes: number | null; toResolveMinutes: number | null } {
  const minutes = (end: Date | null) => (end === null ? null : Math.max(0, (end.getTime() - episode.alertedAt.getTime()) / 60_000));
  return { toAcknowledgeMinutes: minutes(episode.acknowledgedAt), toResolveMinutes: episode.closedAs === 'resolved' ? minutes(episode.closedAt) : null };
}
