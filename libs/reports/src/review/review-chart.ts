import type { TopLevelSpec } from 'vega-lite';
import { defaultChartSize, renderChartPng, type ChartSize } from '../chart/events-chart';
import type { WeeklyReview } from './review-types';

/** Mean time to resolve per week, a bar per group side by side (the daily report's look and renderer). */
export function resolveChartSpec(review: WeeklyReview, size: ChartSize = defaultChartSize): TopLevelSpec {
  const weeks = review.weeks.map((week) => week.monday);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Mean time to resolve per week (minutes), control vs treatment',
    width: size.width,
    height: size.height,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    padding: 12,
    data: { values: review.resolveByWeek.map((point) => ({ ...point, meanMinutes: Math.round(point.meanMinutes * 10) / 10 })) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'week', type: 'ordinal', title: 'week starting', sort: weeks, scale: { domain: weeks }, axis: { labelAngle: -45 } },
      xOffset: { field: 'group', type: 'nominal', sort: ['control', 'treatment'] },
      y: { field: 'meanMinutes', type: 'quantitative', title: 'minutes to resolve (mean)' },
      color: { field: 'group', type: 'nominal', title: 'group', sort: ['control', 'treatment'], scale: { range: ['#9e9e9e', '#1f77b4'] } },
      tooltip: [{ field: 'group' }, { field: 'meanMinutes' }, { field: 'n' }],
    },
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
  };
}

export function renderResolveChart(review: WeeklyReview, size: ChartSize = defaultChartSize): Promise<Buffer> {
  return renderChartPng(resolveChartSpec(review, size));
}
