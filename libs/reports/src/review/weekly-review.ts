import { syncHelpFacts } from '@triage/outcomes';
import { buildWeeklyReview } from './build-review';
import { collectReviewInputs, type ReviewSources } from './collect-review';
import type { WeeklyReview } from './review-types';
import { reviewWeeks } from './review-weeks';

export const maxReviewWeeks = 26;

/**
 * The review of the `weeks` whole weeks before `at`: brings the episodes' help facts up to date (unless `readOnly`),
 * then reads and computes every figure.
 */
export async function weeklyReview(sources: ReviewSources, { at, weeks, readOnly }: { at: Date; weeks: number; readOnly?: boolean }): Promise<WeeklyReview> {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > maxReviewWeeks) throw new Error(`weeks must be a whole number from 1 to ${maxReviewWeeks}, got ${weeks}`);
  const span = reviewWeeks(at, weeks, sources.timeZone);
  if (!readOnly) await syncHelpFacts(sources.db, span[0]!.start, span.at(-1)!.end);
  return buildWeeklyReview(await collectReviewInputs(sources, span));
}
