import type { ExperimentGroup } from './holdout';

/** open -> acknowledged -> resolved | ignored; open -> resolved | ignored. A closed episode never reopens: the next alert opens the next one. */
export type EpisodeState = 'open' | 'acknowledged' | 'resolved' | 'ignored';
export type ClosedAs = 'resolved' | 'ignored';
/** telegram: a button or command; glitchtip: closed in GlitchTip itself (seen by the poller, or implied by a regression). */
export type ClosedVia = 'telegram' | 'glitchtip';
export type InvestigationVote = 'helpful' | 'not-helpful';

export interface Episode {
  issueId: string;
  seq: number;
  state: EpisodeState;
  group: ExperimentGroup;
  regression: boolean;
  alertCount: number;
  alertedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  firstAction: string | null;
  closedAt: Date | null;
  closedAs: ClosedAs | null;
  closedVia: ClosedVia | null;
  closedBy: string | null;
  investigationShownAt: Date | null;
  runbookShownAt: Date | null;
  investigationVote: InvestigationVote | null;
  runbookClicks: number;
  crossoverAt: Date | null;
  crossoverAction: string | null;
}

/** What a human can do on an issue from Telegram (buttons and commands). */
export type HumanAction = 'acknowledge' | 'resolve' | 'ignore' | 'unresolve' | 'mute' | 'unmute' | 'investigate' | 'runbook';

/** Actions that ask for the help the control group is held out from: using them there is a crossover. */
export const helpActions: readonly HumanAction[] = ['investigate', 'runbook'];

export type OutcomeEvent =
  | { type: 'alerted'; issueId: string; at: Date; regression: boolean; holdoutPercent: number }
  | { type: 'action'; issueId: string; at: Date; action: HumanAction; actor: string }
  | { type: 'closed-outside'; issueId: string; at: Date; status: ClosedAs }
  | { type: 'help-shown'; issueId: string; at: Date; help: 'investigation' | 'runbook' }
  | { type: 'investigation-vote'; issueId: string; at: Date; vote: InvestigationVote }
  | { type: 'runbook-click'; issueId: string; at: Date };

export function isClosed(episode: Episode): boolean {
  return episode.state === 'resolved' || episode.state === 'ignored';
}
