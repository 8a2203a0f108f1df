import type { CommitInfo } from './blame';

/**
 * What ties a commit to the crash. `frame` counts blamed (mapped, in-app) frames from the throw (0) and weighs the
 * evidence; `frameIndex` is the frame's position in the crash's own list, which the reason names (it differs when the
 * throw is in library code). Without it the reason names `frame`.
 */
interface FrameTie {
  frame: number;
  frameIndex?: number;
}
export type Evidence =
  | (FrameTie & { kind: 'exact-line'; file: string; line: number })
  | (FrameTie & { kind: 'near-line'; file: string; line: number; distance: number })
  | (FrameTie & { kind: 'file-history'; file: string });

export interface SuspectCandidate {
  commit: CommitInfo;
  evidence: Evidence[];
}

export interface Suspect {
  sha: string;
  author: string;
  /** ISO 8601. */
  date: string;
  subject: string;
  score: number;
  afterFirstSeen: boolean;
  reasons: string[];
  url?: string;
}

export const blameRadius = 3;
const day = 86_400;

const weights = { 'exact-line': 10, 'near-line': 2, 'file-history': 0.5 } as const;

function frameWeight(frame: number): number {
  return 1 / (1 + frame);
}

function evidenceScore(evidence: Evidence): number {
  const base = weights[evidence.kind] * frameWeight(evidence.frame);
  return evidence.kind === 'near-line' ? base * (1 - evidence.distance / (blameRadius + 1)) : base;
}

/** Recent changes shortly before the error first appeared are the usual culprits; year-old code rarely is. */
export function timeFactor(commitTime: number, reference: number): number {
  const ageDays = Math.max(0, (reference - commitTime) / day);
  const proximity = ageDays <= 14 ? 1 + (1 - ageDays / 14) : 1;
  const recency = 1 + 0.5 * Math.exp(-ageDays / 90);
  return proximity * recency * (ageDays > 365 ? 0.5 : 1);
}

export function describeAge(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs < 3600) return `${Math.max(1, Math.round(abs / 60))} min`;
  if (abs < day) return `${Math.round(abs / 3600)} h`;
  const days = Math.round(abs / day);
  return days === 1 ? '1 day' : `${days} days`;
}

function frameLabel(frame: number): string {
  return frame === 0 ? 'frame #1, the throw' : `frame #${frame + 1}, ${frame} call${frame === 1 ? '' : 's'} below the throw`;
}

function reasonOf(evidence: Evidence, timing: string): string {
  const where = frameLabel(evidence.frameIndex ?? evidence.frame);
  switch (evidence.kind) {
    case 'exact-line':
      return `changed line ${evidence.line} of ${evidence.file}${timing}; ${where}`;
    case 'near-line':
      return `changed line ${evidence.line} of ${evidence.file}, ${evidence.distance} from the crashing line${timing}; ${where}`;
    case 'file-history':
      return `changed ${evidence.file}${timing}; ${where}`;
  }
}

/**
 * Ranks commits by how they touch the crash: the exact crashing line over nearby lines over the file's history,
 * frames near the throw over deeper ones, shortly before first seen over long before. A commit made after the error
 * first appeared cannot have caused it: it is ranked below every earlier one whatever its score.
 */
export function rankSuspects(candidates: readonly SuspectCandidate[], firstSeen: Date | null, now: Date, limit = 3): Suspect[] {
  const reference = Math.floor((firstSeen ?? now).getTime() / 1000);
  const scored = candidates
    .filter((candidate) => candidate.evidence.length > 0)
    .map((candidate) => {
      const { commit } = candidate;
      const afterFirstSeen = firstSeen !== null && commit.time > reference;
      // Per frame, only the strongest tie counts: ten nearby lines of one frame are not ten clues.
      const bestPerFrame = new Map<number, Evidence>();
      for (const evidence of candidate.evidence) {
        const held = bestPerFrame.get(evidence.frame);
        if (!held || evidenceScore(evidence) > evidenceScore(held)) bestPerFrame.set(evidence.frame, evidence);
      }
      const strongest = [...bestPerFrame.values()].sort((a, b) => evidenceScore(b) - evidenceScore(a));
      const raw = strongest.reduce((sum, evidence) => sum + evidenceScore(evidence), 0);
      const score = raw * timeFactor(commit.time, reference) * (afterFirstSeen ? 0.1 : 1);
      const offset = reference - commit.time;
      const timing = firstSeen === null ? ` ${describeAge(offset)} ago` : afterFirstSeen ? ` ${describeAge(offset)} after first seen (cannot have caused it)` : ` ${describeAge(offset)} before first seen`;
      return {
        sha: commit.sha,
        author: commit.author,
        date: new Date(commit.time * 1000).toISOString(),
        subject: commit.subject,
        score: Math.round(score * 1000) / 1000,
        afterFirstSeen,
        reasons: strongest.slice(0, 3).map((evidence) => reasonOf(evidence, timing)),
      } satisfies Suspect;
    });
  scored.sort((a, b) => Number(a.afterFirstSeen) - Number(b.afterFirstSeen) || b.score - a.score || b.date.localeCompare(a.date) || a.sha.localeCompare(b.sha));
  return scored.slice(0, limit);
}

/** Collects evidence per commit. */
export class EvidenceBook {
  private readonly byCommit = new Map<string, SuspectCandidate>();

  add(commit: CommitInfo, evidence: Evidence): void {
    const entry = this.byCommit.get(commit.sha);
    if (entry) {
      entry.evidence.push(evidence);
      if (!entry.commit.subject && commit.subject) entry.commit = commit;
    } else {
      this.byCommit.set(commit.sha, { commit, evidence: [evidence] });
    }
  }

  candidates(): SuspectCandidate[] {
    return [...this.byCommit.values()];
  }
}
