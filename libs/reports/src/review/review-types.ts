import type { GroupComparison } from './group-comparison';
import type { ReviewWeek } from './review-weeks';

/** One finished episode as the review sees it (minutes; null: it did not happen). */
export interface EpisodeFigures {
  group: 'treatment' | 'control';
  week: string;
  toAcknowledgeMinutes: number | null;
  toResolveMinutes: number | null;
  crossover: boolean;
  investigationShownBeforeAction: boolean;
  runbookShownBeforeAction: boolean;
  vote: 'helpful' | 'not-helpful' | null;
}

export interface JobFigures {
  queue: string;
  completed: number;
  failed: number;
  successRate: number | undefined;
  p95Ms: number | undefined;
}

export interface WeekUsage {
  week: string;
  investigations: number;
  commands: number;
  buttonPresses: number;
  runbookClicks: number;
}

export interface ReviewInputs {
  weeks: ReviewWeek[];
  timeZone: string;
  holdoutPercent: number;
  episodes: EpisodeFigures[];
  runbookLinks: { posted: number; votedWrong: number | undefined };
  /** Helpful / Not helpful votes on investigations started in the weeks. */
  votes: { helpful: number; notHelpful: number };
  /** Investigations answered from the cache vs run afresh. */
  cache: { hits: number; misses: number } | undefined;
  jobs: JobFigures[];
  usage: WeekUsage[];
}

export interface WeeklyReview {
  weeks: ReviewWeek[];
  timeZone: string;
  holdoutPercent: number;
  episodes: { total: number; control: number; treatment: number; crossovers: number };
  acknowledge: GroupComparison;
  resolve: GroupComparison;
  helpfulVotes: { helpful: number; notHelpful: number; share: number | undefined; target: number };
  helpShownBeforeAction: { investigation: number; runbook: number; acknowledged: number };
  runbookLinks: { posted: number; votedWrong: number | undefined; accuracy: number | undefined };
  cacheHitRatio: number | undefined;
  jobs: JobFigures[];
  usage: WeekUsage[];
  /** Mean minutes to resolve per group and week: the chart's data. */
  resolveByWeek: Array<{ week: string; group: 'treatment' | 'control'; meanMinutes: number; n: number }>;
}
