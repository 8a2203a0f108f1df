import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { and, eq } from 'drizzle-orm';
import { auditLog, connectDatabase, metricsHistory, type DatabaseHandle } from '@triage/db';
import { GlitchTipClient } from '@triage/glitchtip';
import { createLogger } from '@triage/logger';
import { createGlitchTipFake, createTestDatabase, type TestDatabase } from '@triage/testing';
import { buildDailyReport, collectIssueHours, renderHistoryChart, storeDailyReport, type ReportSources } from './build-daily-report';
import { pngSize } from './chart/events-chart';
import { renderReport } from './render/render-report';

const token = 'a'.repeat(64);
let now = new Date('2026-06-20T09:00:00Z');
const fake = createGlitchTipFake({ token, scopes: ['event:read', 'org:read'], org: 'acme', now: () => now });
const logger = createLogger({ name: 'report-test', level: 'silent', pretty: false });
let database: TestDatabase;
let handle: DatabaseHandle;
let client: GlitchTipClient;

const sources = (timeZone: string): ReportSources => ({
  db: handle.db,
  glitchtip: client,
  componentTag: 'component',
  timeZone,
  issueUrl: (issue) => `https://glitchtip.example.com/${issue.project.slug}/issues/${issue.id}`,
  log: logger,
  keepHours: false,
});

/** An issue with events at the given hours (ISO, count); first seen at `firstSeen` or its first event. */
function seed(id: number, component: string | undefined, events: Array<[string, number]>, overrides: { status?: 'resolved' | 'unresolved'; firstSeen?: string } = {}) {
  const times = events.map(([at]) => at).sort();
  const count = events.reduce((sum, [, value]) => sum + value, 0);
  fake.seedIssue({
    id,
    title: `Error: failure ${id}`,
    count,
    status: overrides.status ?? 'unresolved',
    firstSeen: overrides.firstSeen ?? times[0],
    lastSeen: times[times.length - 1],
    tags: component ? { component } : {},
    hourly: events.map(([at, value]) => [new Date(at), value]),
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  handle = connectDatabase(database.url);
  await fake.start();
  client = new GlitchTipClient({ baseUrl: fake.url, token, org: 'acme', logger, timeoutMs: 5_000, retries: 0 });
});

afterAll(async () => {
  await fake.stop();
  await handle.close();
  await database.drop();
});

beforeEach(() => {
  fake.reset();
});

describe('buildDailyReport against the GlitchTip fake (two days of issues, UTC)', () => {
  beforeEach(() => {
    now = new Date('2026-06-20T09:00:00Z');
    seed(101, 'payments', [['2026-06-18T10:00:00Z', 3], ['2026-06-19T10:00:00Z', 8], ['2026-06-19T15:00:00Z', 4]], { firstSeen: '2026-06-10T00:00:00Z' });
    seed(102, 'payments', [['2026-06-19T08:00:00Z', 2]]);
    seed(103, 'auth', [['2026-06-18T11:00:00Z', 10], ['2026-06-19T11:00:00Z', 7]], { status: 'resolved' });
    seed(104, 'search', [['2026-06-19T12:00:00Z', 5]], { firstSeen: '2026-06-01T00:00:00Z' });
    seed(105, 'search', [['2026-06-18T13:00:00Z', 6]]);
    seed(106, 'payments', [['2026-06-01T13:00:00Z', 40]]);
    seed(107, undefined, [['2026-06-19T23:00:00Z', 1]], { firstSeen: '2026-05-01T00:00:00Z' });
  });

  it('gives exact totals, trend, grouping by component and P-levels', async () => {
    const { report } = await buildDailyReport(sources('UTC'), '2026-06-19', now);
    expect(report.events).toEqual({ now: 27, before: 19, delta: 8, percent: 42.1 });
    expect(report.issues).toEqual({ now: 5, before: 3, delta: 2, percent: 66.7 });
    expect(report.components).toEqual([
      { component: 'payments', events: 14, issues: 2, priority: 'P1' },
      { component: 'auth', events: 7, issues: 1, priority: 'P2' },
      { component: 'search', events: 5, issues: 1, priority: 'P3' },
      { component: 'unknown', events: 1, issues: 1, priority: 'P3' },
    ]);
    expect(report.topIssues.map((line) => [line.id, line.events, line.priority])).toEqual([
      ['101', 12, 'P1'],
      ['103', 7, 'P2'],
      ['104', 5, 'P3'],
      ['102', 2, 'P3'],
      ['107', 1, 'P3'],
    ]);
    expect(report.topIssues[0]!.link).toBe(`${fake.url}/backend/issues/101`);
    expect(report.caveats).toEqual([]);
    expect(report.newIssues.map((line) => line.id)).toEqual(['102']);
    expect(report.unresolvedP1).toBe(1);
    expect(report.quickActions).toEqual(['/investigate 101', '/errors payments 24']);
    const text = renderReport(report).plainText;
    expect(text).toContain('Events: 27 (+8, +42.1% vs the day before)');
    expect(text).toContain('🔴 P1 payments — 14 events, 2 issues');
  });

  it('counts what Triage did that day from its own tables', async () => {
    const at = new Date('2026-06-19T12:00:00Z');
    await handle.db.insert(auditLog).values([
      { at, actor: 'triage', action: 'send-alert', target: 'telegram', issueId: '104', result: 'ok', details: { reason: 'regression' } },
      { at, actor: 'triage', action: 'send-alert', target: 'telegram', issueId: '101', result: 'ok', details: { reason: 'new' } },
      { at, actor: 'telegram:42', action: 'issue.resolve', target: 'glitchtip', issueId: '103', result: 'ok' },
      { at, actor: 'triage:mute-expiry', action: 'issue.unmute', target: 'triage', issueId: '103', result: 'ok' },
      { at: new Date('2026-06-20T01:00:00Z'), actor: 'telegram:42', action: 'issue.ignore', target: 'glitchtip', issueId: '105', result: 'ok' },
    ]);
    const { report } = await buildDailyReport(sources('UTC'), '2026-06-19', now);
    expect(report.triage).toEqual({ alertsSent: 2, investigations: 0, runbooksLinked: 0, telegramActions: 1 });
    expect(report.regressedIssues.map((line) => line.id)).toEqual(['104']);
    await handle.db.delete(auditLog);
  });

  it('keeps the day in metrics_history, upserted by date and component, and charts it', async () => {
    const built = await buildDailyReport(sources('UTC'), '2026-06-19', now);
    await storeDailyReport(handle.db, built);
    await storeDailyReport(handle.db, built);
    const rows = await handle.db.select().from(metricsHistory).where(eq(metricsHistory.date, '2026-06-19'));
    expect(rows.map((row) => [row.component, row.events, row.newIssues, row.resolvedIssues]).sort()).toEqual([
      ['*', 27, 1, 1],
      ['auth', 7, 0, 1],
      ['payments', 14, 1, 0],
      ['search', 5, 0, 0],
      ['unknown', 1, 0, 0],
    ]);
    const png = await renderHistoryChart(handle.db, '2026-06-19');
    expect(pngSize(png)).toEqual({ width: 800, height: 400 });
    await handle.db.delete(metricsHistory).where(and(eq(metricsHistory.date, '2026-06-19')));
  });

  it('a rerun for a day past GlitchTip\'s per-issue stats keeps the stored components and reads them back', async () => {
    await storeDailyReport(handle.db, await buildDailyReport(sources('UTC'), '2026-06-19', now));
    // Sixteen days later: no kept hours (keepHours is off) and the 14 daily buckets start after the day.
    now = new Date('2026-07-05T09:00:00Z');
    const rerun = await buildDailyReport(sources('UTC'), '2026-06-19', now);
    expect(rerun.components).toBe('stored');
    expect(rerun.report.events.now).toBe(27);
    expect(rerun.report.components).toEqual([
      { component: 'payments', events: 14, issues: 2, priority: 'P1' },
      { component: 'auth', events: 7, issues: 1, priority: 'P2' },
      { component: 'search', events: 5, issues: 1, priority: 'P3' },
      { component: 'unknown', events: 1, issues: 1, priority: 'P3' },
    ]);
    expect(rerun.report.caveats.join(' ')).toMatch(/GlitchTip no longer holds per-issue counts for 2026-06-19: the components are the figures stored/);
    expect(await storeDailyReport(handle.db, rerun)).toBe('nothing-to-store');
    const rows = await handle.db.select().from(metricsHistory).where(eq(metricsHistory.date, '2026-06-19'));
    expect(rows.map((row) => [row.component, row.events]).sort()).toEqual([['*', 27], ['auth', 7], ['payments', 14], ['search', 5], ['unknown', 1]]);
    await handle.db.delete(metricsHistory).where(eq(metricsHistory.date, '2026-06-19'));
  });

  it('a day past GlitchTip\'s per-issue stats and never stored says there is no breakdown', async () => {
    now = new Date('2026-07-05T09:00:00Z');
    const built = await buildDailyReport(sources('UTC'), '2026-06-19', now);
    expect(built.components).toBe('missing');
    expect(built.report.components).toEqual([]);
    expect(built.report.caveats.join(' ')).toMatch(/none were stored: no breakdown by component or issue; the totals are exact/);
    expect(await storeDailyReport(handle.db, built)).toBe('nothing-to-store');
    expect(await handle.db.select().from(metricsHistory).where(eq(metricsHistory.date, '2026-06-19'))).toEqual([]);
  });

  it('says so instead of guessing when GlitchTip is not configured', async () => {
    const { report } = await buildDailyReport({ ...sources('UTC'), glitchtip: undefined, glitchtipMissingReason: 'GLITCHTIP_INTEGRATION_ENABLED=false' }, '2026-06-19', now);
    expect(report.caveats).toEqual(['GlitchTip figures unavailable: GLITCHTIP_INTEGRATION_ENABLED=false.']);
    expect(report.empty).toBe(false);
  });
});

describe('a report in another REPORT_TZ covers that zone\'s hours, daylight-saving days included', () => {
  it.each([
    {
      name: 'Berlin, spring forward (23 h: 2026-03-28T23:00Z to 2026-03-29T22:00Z)',
      date: '2026-03-29',
      now: '2026-03-29T22:30:00Z',
      statsStart: '2026-03-27T23:00:00.000Z',
      statsEnd: '2026-03-29T22:00:00.000Z',
      events: [['2026-03-28T22:30:00Z', 5], ['2026-03-28T23:10:00Z', 7], ['2026-03-29T21:30:00Z', 11], ['2026-03-29T22:10:00Z', 13]] as Array<[string, number]>,
      expected: 18,
      estimated: false,
    },
    {
      name: 'Berlin, fall back (25 h: 2026-10-24T22:00Z to 2026-10-25T23:00Z)',
      date: '2026-10-25',
      now: '2026-10-25T23:30:00Z',
      statsStart: '2026-10-23T22:00:00.000Z',
      statsEnd: '2026-10-25T23:00:00.000Z',
      events: [['2026-10-24T21:30:00Z', 5], ['2026-10-24T22:10:00Z', 7], ['2026-10-25T22:30:00Z', 11], ['2026-10-25T23:10:00Z', 13]] as Array<[string, number]>,
      expected: 18,
      // A 25-hour day never fits GlitchTip's 24 h hourly window: per-issue counts come from daily buckets, and say so.
      estimated: true,
    },
  ])('$name', async ({ date, now: at, statsStart, statsEnd, events, expected, estimated }) => {
    now = new Date(at);
    seed(201, 'payments', events);
    const { report } = await buildDailyReport(sources('Europe/Berlin'), date, now);
    expect(report.events.now).toBe(expected);
    expect(report.events.before).toBe(5);
    expect(report.components.map((component) => component.component)).toEqual(['payments']);
    if (estimated) {
      expect(report.caveats.join(' ')).toMatch(/estimated from GlitchTip's daily \(UTC\) buckets; the totals are exact/);
    } else {
      expect(report.caveats).toEqual([]);
      expect(report.components).toEqual([{ component: 'payments', events: expected, issues: 1, priority: 'P1' }]);
    }
    const statsCall = fake.requests.find((request) => request.path.endsWith('/stats_v2/'));
    expect(statsCall?.query.get('start')).toBe(statsStart);
    expect(statsCall?.query.get('end')).toBe(statsEnd);
    expect(renderReport(report).html).toContain(`Daily report — ${date} (Europe/Berlin)`);
  });

  it('an estimated breakdown is stored for a new day but never replaces stored rows', async () => {
    now = new Date('2026-10-25T23:30:00Z');
    seed(204, 'payments', [['2026-10-25T10:00:00Z', 4]]);
    const built = await buildDailyReport(sources('Europe/Berlin'), '2026-10-25', now);
    expect(built.components).toBe('estimated');
    expect(await storeDailyReport(handle.db, built)).toBe('stored');
    expect(await storeDailyReport(handle.db, { ...built, report: { ...built.report, components: [] } })).toBe('kept-stored');
    const rows = await handle.db.select().from(metricsHistory).where(eq(metricsHistory.date, '2026-10-25'));
    expect(rows.map((row) => [row.component, row.events]).sort()).toEqual([['*', 4], ['payments', 4]]);
    await handle.db.delete(metricsHistory).where(eq(metricsHistory.date, '2026-10-25'));
  });

  it('with hourly counts kept every 2 hours (the collection scheduler), the 25-hour day is exact per component too', async () => {
    seed(202, 'payments', [['2026-10-24T21:30:00Z', 5], ['2026-10-24T22:10:00Z', 7], ['2026-10-25T22:30:00Z', 11], ['2026-10-25T23:10:00Z', 13]]);
    seed(203, 'auth', [['2026-10-25T03:00:00Z', 2]]);
    for (let at = Date.parse('2026-10-23T23:00:00Z'); at <= Date.parse('2026-10-26T02:00:00Z'); at += 2 * 3_600_000) {
      now = new Date(at);
      await collectIssueHours(handle.db, client, now);
    }
    now = new Date('2026-10-26T08:00:00Z');
    const { report } = await buildDailyReport(sources('Europe/Berlin'), '2026-10-25', now);
    expect(report.caveats).toEqual([]);
    expect(report.events).toMatchObject({ now: 20, before: 5 });
    expect(report.components).toEqual([
      { component: 'payments', events: 18, issues: 1, priority: 'P1' },
      { component: 'auth', events: 2, issues: 1, priority: 'P3' },
    ]);
  });
});
