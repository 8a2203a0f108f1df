import type { CrashFrame } from './frames';
import type { MappedFrame } from './map-frames';
import type { Suspect } from './rank';
import type { ResolvedRevision } from './revision';

export const investigationSteps = ['frames', 'repository', 'files', 'mapping', 'suspects', 'similar'] as const;
export type InvestigationStep = (typeof investigationSteps)[number];

export interface SimilarIssue {
  issueId: string;
  title: string;
  /** How it was closed: resolved or ignored. */
  status: 'resolved' | 'ignored';
  score: number;
  /** Why it is similar, in words. */
  because: string[];
  url: string | null;
  /** Human comments on it, newest first, quoted in the report: the fix that worked last time. */
  comments: string[];
}

/** The outcome of one investigation; what the report, the Telegram summary, the cache and `--json` are made of. */
export interface Investigation {
  version: 1;
  issueId: string;
  title: string;
  exceptionType: string | null;
  message: string | null;
  framesSource: 'event' | 'stack-file' | 'culprit';
  frames: CrashFrame[];
  repository: { project: string | null; webUrl: string | null } | null;
  revision: ResolvedRevision | null;
  mapping: MappedFrame[];
  suspects: Suspect[];
  similar: SimilarIssue[];
  /** Milliseconds per step, and in total. */
  timings: Partial<Record<InvestigationStep | 'total', number>>;
  /** Set when the hard timeout cut the run short: the report is partial. */
  timedOut: { step: InvestigationStep; afterMs: number } | null;
  /** Things the reader should know (no repository configured, a step failed and why). */
  notes: string[];
  firstSeen: string | null;
  finishedAt: string;
}
