import { describe, expect, it } from '@jest/globals';
import { chartPoints, eventsChartSpec, maxChartComponents, pngSize, renderChartPng } from './events-chart';

const days = ['2026-06-17', '2026-06-18', '2026-06-19'];

describe('chartPoints', () => {
  it('keeps every day and folds components past the busiest few into "other"', () => {
    const many = Array.from({ length: maxChartComponents + 2 }, (_, index) => ({ date: '2026-06-18', component: `c${index}`, events: 100 - index }));
    const points = chartPoints([...many, { date: '2026-06-01', component: 'c0', events: 5 }], days);
    expect(points.filter((point) => point.component === 'other')).toEqual([{ date: '2026-06-18', component: 'other', events: 100 - maxChartComponents + (100 - maxChartComponents - 1) }]);
    expect(points.some((point) => point.date === '2026-06-01')).toBe(false);
    expect(new Set(points.map((point) => point.component)).size).toBe(maxChartComponents + 1);
  });
});

describe('renderChartPng', () => {
  it('renders a valid PNG of the expected size, offline', async () => {
    const spec = eventsChartSpec(
      [
        { date: '2026-06-17', component: 'payments', events: 12 },
        { date: '2026-06-18', component: 'payments', events: 30 },
        { date: '2026-06-18', component: 'auth', events: 7 },
        { date: '2026-06-19', component: 'auth', events: 3 },
      ],
      days,
      'Events per component, last 14 days',
      { width: 640, height: 320 },
    );
    const png = await renderChartPng(spec);
    expect(pngSize(png)).toEqual({ width: 640, height: 320 });
    expect(png.length).toBeGreaterThan(2_000);
  });

  it('renders an all-empty range too (axis only)', async () => {
    const png = await renderChartPng(eventsChartSpec([], days, 'nothing'));
    expect(pngSize(png)).toEqual({ width: 800, height: 400 });
  });

  it.each([[Buffer.from('not a png at all, definitely not')], [Buffer.alloc(0)]])('pngSize refuses non-PNG bytes', (bytes) => {
    expect(pngSize(bytes)).toBeUndefined();
  });
});
