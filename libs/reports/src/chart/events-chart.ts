import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface ChartPoint {
  date: string;
  component: string;
  events: number;
}

export interface ChartSize {
  width: number;
  height: number;
}

export const defaultChartSize: ChartSize = { width: 800, height: 400 };

/** Components beyond this many are summed as "other", so the legend stays readable. */
export const maxChartComponents = 8;

/** Keeps the busiest components (over the whole range) and folds the rest into "other"; every day appears on the axis. */
export function chartPoints(points: ChartPoint[], days: string[]): ChartPoint[] {
  const totals = new Map<string, number>();
  for (const point of points) totals.set(point.component, (totals.get(point.component) ?? 0) + point.events);
  const kept = new Set(
    [...totals.entries()]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, maxChartComponents)
      .map(([component]) => component),
  );
  const folded = new Map<string, ChartPoint>();
  for (const point of points) {
    if (!days.includes(point.date)) continue;
    const component = kept.has(point.component) ? point.component : 'other';
    const key = `${point.date}\u0000${component}`;
    const existing = folded.get(key);
    if (existing) existing.events += point.events;
    else folded.set(key, { date: point.date, component, events: point.events });
  }
  return [...folded.values()].sort((a, b) => a.date.localeCompare(b.date) || a.component.localeCompare(b.component));
}

/** A stacked bar per day, one colour per component. Pure: the spec is data, rendering is below. */
export function eventsChartSpec(points: ChartPoint[], days: string[], title: string, size: ChartSize = defaultChartSize): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: size.width,
    height: size.height,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    padding: 12,
    data: { values: chartPoints(points, days) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'date', type: 'ordinal', title: null, sort: days, scale: { domain: days }, axis: { labelAngle: -45, labelExpr: 'slice(datum.value, 5)' } },
      y: { field: 'events', type: 'quantitative', title: 'events', stack: 'zero' },
      color: { field: 'component', type: 'nominal', title: 'component', scale: { scheme: 'tableau10' } },
      tooltip: [{ field: 'component' }, { field: 'events' }],
    },
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
  };
}

/** vega-lite -> vega -> SVG -> PNG, in process and offline (system fonts; no canvas, no browser). */
export async function renderChartPng(spec: TopLevelSpec): Promise<Buffer> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: 'white' }).render().asPng();
    return Buffer.from(png);
  } finally {
    view.finalize();
  }
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngSize(png: Buffer): ChartSize | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
