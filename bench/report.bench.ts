/**
 * Daily report cost: the chart (vega-lite -> SVG -> PNG), the pure aggregation, and reading a busy day from a GlitchTip
 * fake with the client's default pacing (10 requests/s, 2 at once), which is what bounds a real report.
 *
 *   node --import tsx bench/report.bench.ts        (npm run bench:report)
 *
 * Prints figures; it never fails on a number.
 */
import { GlitchTipClient } from '@triage/glitchtip';
import { createLogger } from '@triage/logger';
import { aggregateReport, collectGlitchTipFigures, dayWindow, eventsChartSpec, renderChartPng, renderReport, type IssueDayFigures } from '@triage/reports';
import { createGlitchTipFake } from '@triage/testing';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeMs(run: () => unknown, times: number): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

// Chart: 14 days x 8 components (the most the legend shows), then 14 x 30 (folded into "other").
const days = Array.from({ length: 14 }, (_, index) => new Date(Date.UTC(2026, 5, 6 + index)).toISOString().slice(0, 10));
const points = (components: number) => days.flatMap((date, day) => Array.from({ length: components }, (_, index) => ({ date, component: `component-${index}`, events: (day * 7 + index * 13) % 50 })));
await renderChartPng(eventsChartSpec(points(8), days, 'warm-up'));
const chart8 = await timeMs(() => renderChartPng(eventsChartSpec(points(8), days, 'Events per component')), 5);
const chart30 = await timeMs(() => renderChartPng(eventsChartSpec(points(30), days, 'Events per component')), 5);

// Aggregation and text for 5,000 issues.
const window = dayWindow('2026-06-19', 'Europe/Berlin');
const issues: IssueDayFigures[] = Array.from({ length: 5_000 }, (_, index) => ({
  id: String(index + 1),
  title: `Error: failure ${index}`,
  shortId: `BACKEND-${index + 1}`,
  link: `https://glitchtip.example.com/backend/issues/${index + 1}`,
  component: `component-${index % 40}`,
  status: 'unresolved',
  level: 'error',
  firstSeen: new Date('2026-06-01T00:00:00Z'),
  events: (index * 37) % 200,
  eventsDayBefore: (index * 11) % 150,
}));
const aggregate = await timeMs(() => renderReport(aggregateReport({ window, totalEvents: undefined, issues, regressedIssueIds: [], triage: { alertsSent: 0, investigations: 0, runbooksLinked: 0, telegramActions: 0 }, caveats: [] })), 5);

// Reading a day with N active issues from the fake, paced like production.
const token = 'f'.repeat(64);
const now = new Date('2026-06-20T09:00:00Z');
const fake = createGlitchTipFake({ token, scopes: ['event:read', 'org:read'], org: 'acme', now: () => now });
await fake.start();
const activeIssues = 200;
for (let index = 0; index < activeIssues; index += 1) {
  fake.seedIssue({
    title: `Error: failure ${index}`,
    count: 5,
    lastSeen: '2026-06-19T12:00:00Z',
    tags: { component: `component-${index % 12}` },
    hourly: [[new Date('2026-06-19T12:00:00Z'), 5]],
  });
}
const client = new GlitchTipClient({ baseUrl: fake.url, token, org: 'acme', logger: createLogger({ name: 'bench', level: 'silent', pretty: false }) });
const readStart = performance.now();
const figures = await collectGlitchTipFigures(client, { day: dayWindow('2026-06-19', 'UTC'), dayBefore: dayWindow('2026-06-18', 'UTC'), componentTag: 'component', now, issueUrl: () => undefined });
const readMs = performance.now() - readStart;
const requests = fake.requests.length;
await fake.stop();

console.log('daily report');
console.log(`  chart, 14 days x 8 components     ${chart8.toFixed(0)} ms (median of 5)`);
console.log(`  chart, 14 days x 30 components    ${chart30.toFixed(0)} ms (folded into 8 + other)`);
console.log(`  aggregate + render, 5,000 issues  ${aggregate.toFixed(1)} ms`);
console.log(`  read a day of ${activeIssues} active issues   ${(readMs / 1000).toFixed(1)} s, ${requests} requests (${(requests / (readMs / 1000)).toFixed(1)} req/s; the client paces 10/s)`);
console.log(`  of which per-issue component tags ${figures.issues.length} requests: the bound (about ${(activeIssues / 10).toFixed(0)} s per ${activeIssues} issues)`);
