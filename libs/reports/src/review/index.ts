export { compareGroups, sampleSizePerGroup, summarize, minimumPerGroup, significance, targetPower, type GroupComparison, type GroupSummary } from './group-comparison';
export { buildWeeklyReview, helpfulTarget } from './build-review';
export { collectReviewInputs, episodeFigures, type ReviewSources } from './collect-review';
export { renderReview, reviewLines, comparisonLines, formatPValue, type RenderedReview } from './render-review';
export { resolveChartSpec, renderResolveChart } from './review-chart';
export { reviewWeeks, mondayOf, type ReviewWeek } from './review-weeks';
export { weeklyReview, maxReviewWeeks } from './weekly-review';
export type { WeeklyReview, ReviewInputs, EpisodeFigures, JobFigures, WeekUsage } from './review-types';
