import { addDays } from '../day/day-window';
import type { GroupComparison, GroupSummary } from './group-comparison';
import type { WeeklyReview } from './review-types';

export interface RenderedReview {
  /** Plain text, for the terminal. */
  text: string;
  /** Telegram HTML (every value escaped). */
  html: string;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const minutes = (value: number | null) => (value === null ? '–' : value.toFixed(1));
const percent = (value: number | undefined) => (value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}%`);

/** p-values the way people read them: three digits, and "< 0.001" below that. */
export function formatPValue(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function groupLine(name: string, summary: GroupSummary): string {
  return `  ${name.padEnd(9)}  n=${String(summary.n).padEnd(4)} mean ${minutes(summary.mean).padStart(6)}  median ${minutes(summary.median).padStart(6)}`;
}

/** The verdict lines of one comparison: the test when there is enough data, else how much more is needed. */
export function comparisonLines(comparison: GroupComparison): string[] {
  const { control, treatment } = comparison;
  const lines = [groupLine('control', control), groupLine('treatment', treatment)];
  if (comparison.pValue === null || comparison.ci95 === null || comparison.difference === null) {
    lines.push(`  not enough data yet: at least 5 per group needed before any test (have ${control.n} / ${treatment.n})`);
    return lines;
  }
  const [low, high] = comparison.ci95;
  const direction = comparison.difference >= 0 ? `${comparison.difference.toFixed(1)} min faster with help` : `${(-comparison.difference).toFixed(1)} min slower with help`;
  lines.push(
    `  difference ${direction} (95% CI ${low.toFixed(1)} to ${high.toFixed(1)}), one-sided Welch p = ${formatPValue(comparison.pValue)}, effect size d = ${comparison.effectSize === null ? 'n/a' : comparison.effectSize.toFixed(2)}`,
  );
  if (!comparison.enough) {
    lines.push(
      comparison.neededPerGroup === null
        ? `  not enough data yet: at least 5 per group needed (have ${control.n} / ${treatment.n})`
        : `  not enough data yet: ${comparison.neededPerGroup} per group needed for 80% power at the observed spread (have ${control.n} / ${treatment.n})`,
    );
  }
  return lines;
}

export function reviewLines(review: WeeklyReview): string[] {
  const first = review.weeks[0]!;
  const last = review.weeks.at(-1)!;
  const lines: string[] = [
    `Weekly review: ${first.monday} to ${addDays(last.monday, 6)} (${review.timeZone}), ${review.weeks.length} week${review.weeks.length === 1 ? '' : 's'}`,
    review.holdoutPercent > 0
      ? `Holdout: ${review.holdoutPercent}% of new issues in the control group (no automatic investigation or runbook link).`
      : 'Holdout off (EXPERIMENT_HOLDOUT_PERCENT=0): no new issue joins the control group.',
    `Episodes: ${review.episodes.total} (control ${review.episodes.control}, treatment ${review.episodes.treatment}; ${review.episodes.crossovers} crossovers, counted in the group they were assigned)`,
    '',
    'Time to acknowledge (minutes, alert to first button or command)',
    ...comparisonLines(review.acknowledge),
    'Time to resolve (minutes, alert to resolved in Telegram or in GlitchTip)',
    ...comparisonLines(review.resolve),
    '',
  ];
  const votes = review.helpfulVotes;
  const voted = votes.helpful + votes.notHelpful;
  lines.push(
    voted === 0
      ? 'Helpful votes: none yet'
      : `Helpful votes: ${votes.helpful} of ${voted} (${percent(votes.share)}), target over ${percent(votes.target)}: ${votes.share! > votes.target ? 'met' : 'not met'}`,
  );
  const shown = review.helpShownBeforeAction;
  lines.push(`Help shown before the first action: investigation ${shown.investigation} of ${shown.acknowledged}, runbook ${shown.runbook} of ${shown.acknowledged}`);
  lines.push(
    `Runbook links: ${review.runbookLinks.posted} posted; accuracy ${review.runbookLinks.accuracy === undefined ? 'n/a (no votes on links recorded)' : `${percent(review.runbookLinks.accuracy)} not voted wrong`}`,
  );
  lines.push(`Investigation cache hit ratio: ${percent(review.cacheHitRatio)}`);
  lines.push('', 'Jobs (success rate, p95 duration):');
  if (review.jobs.length === 0) lines.push('  no job statistics recorded');
  for (const job of review.jobs) {
    lines.push(`  ${job.queue.padEnd(16)} ${percent(job.successRate).padStart(7)}  p95 ${job.p95Ms === undefined ? 'n/a' : `${Math.round(job.p95Ms)} ms`}  (${job.completed} done, ${job.failed} failed)`);
  }
  lines.push('', 'Tool use per week:');
  for (const week of review.usage) {
    lines.push(`  ${week.week}  investigations ${week.investigations}  commands ${week.commands}  button presses ${week.buttonPresses}  runbook clicks ${week.runbookClicks}`);
  }
  return lines;
}

export function renderReview(review: WeeklyReview): RenderedReview {
  const lines = reviewLines(review);
  const text = lines.join('\n');
  const [title, ...rest] = lines;
  return { text, html: [`<b>${escapeHtml(title!)}</b>`, `<pre>${escapeHtml(rest.join('\n'))}</pre>`].join('\n') };
}
