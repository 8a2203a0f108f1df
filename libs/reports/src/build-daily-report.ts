import type { Database } from '@triage/db';
import type { GlitchTipIssue } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { aggregateReport, quickActionsOf } from './aggregate/aggregate-report';
import type { DailyReport, IssueDayFigures } from './aggregate/report-types';
import { defaultChartSize, eventsChartSpec, renderChartPng, type ChartSize } from './chart/events-chart';
import { collectGlitchTipFigures, readRecentIssueHours, type GlitchTipFigures, type HourHistory, type IssueBreakdown, type ReportGlitchTip } from './collect/glitchtip-figures';
import { collectTriageActivity, regressedIssueIds } from './collect/triage-activity';
import { addDays, dayWindow } from './day/day-window';
import { issueHourReadTimes, readIssueHours, saveIssueHours, type IssueHourRow } from './store/issue-hours';
import { componentHistory, saveDayFigures, storedDayComponents } from './store/metrics-history';

export interface ReportSources {
  db: Database;
  /** Undefined: webhook-only mode or GLITCHTIP_INTEGRATION_ENABLED=false (the reason says which). */
  glitchtip: ReportGlitchTip | undefined;
  glitchtipMissingReason?: string;
  componentTag: string;
  timeZone: string;
  issueUrl: (issue: GlitchTipIssue) => string | undefined;
  log: Logger;
  /** Keep the hourly counts read (issue_hour_events); false for a dry run. */
  keepHours: boolean;
}

function hourHistory(db: Database, keep: boolean): HourHistory {
  return {
    read: (issueIds, from, to) => readIssueHours(db, issueIds, from, to),
    readTimes: (from, to) => issueHourReadTimes(db, from, to),
    ...(keep ? { save: (takenAt: Date, rows: IssueHourRow[], complete: boolean) => saveIssueHours(db, takenAt, rows, complete) } : {}),
  };
}

/** Reads the hourly counts of the issues seen in the last 24 h and keeps them (the collection scheduler's job). */
export async function collectIssueHours(db: Database, client: ReportGlitchTip, now = new Date()): Promise<{ hours: number; complete: boolean }> {
  const { rows, complete } = await readRecentIssueHours(client, now);
  await saveIssueHours(db, now, rows, complete);
  return { hours: rows.length, complete };
}

/**
 * Where the report's per-component figures come from: GlitchTip's per-issue counts (exact or estimated), metrics_history
 * ('stored': the day is past GlitchTip's per-issue stats), or nowhere ('missing').
 */
export type ComponentSource = Exclude<IssueBreakdown, 'unknown'> | 'stored' | 'missing';

export interface BuiltReport {
  report: DailyReport;
  issues: IssueDayFigures[];
  components: ComponentSource;
}

async function glitchtipFigures(sources: ReportSources, date: string, now: Date, onError: 'throw' | 'caveat'): Promise<GlitchTipFigures | { caveat: string }> {
  if (!sources.glitchtip) return { caveat: `GlitchTip figures unavailable: ${sources.glitchtipMissingReason ?? 'the API is not configured'}.` };
  try {
    return await collectGlitchTipFigures(sources.glitchtip, {
      day: dayWindow(date, sources.timeZone),
      dayBefore: dayWindow(addDays(date, -1), sources.timeZone),
      componentTag: sources.componentTag,
      now,
      issueUrl: sources.issueUrl,
      hourHistory: hourHistory(sources.db, sources.keepHours),
    });
  } catch (error) {
    sources.log.error({ err: error, willRetry: onError === 'throw' }, 'could not read the day\'s figures from GlitchTip');
    if (onError === 'throw') throw error;
    return { caveat: `GlitchTip figures unavailable: ${error instanceof Error ? error.message : String(error)}.` };
  }
}

/**
 * Reads one day's figures (GlitchTip API and Triage's tables) and aggregates them. When GlitchTip fails: 'throw' (the
 * job retries) or 'caveat' (the last attempt: Triage's own figures go out, saying GlitchTip's are missing).
 */
export async function buildDailyReport(sources: ReportSources, date: string, now = new Date(), onGlitchTipError: 'throw' | 'caveat' = 'throw'): Promise<BuiltReport> {
  const window = dayWindow(date, sources.timeZone);
  const figures = await glitchtipFigures(sources, date, now, onGlitchTipError);
  const [triage, regressed] = await Promise.all([collectTriageActivity(sources.db, window), regressedIssueIds(sources.db, window)]);
  const fromApi = 'issues' in figures;
  const report = aggregateReport({
    window,
    totalEvents: fromApi ? figures.totalEvents : undefined,
    issues: fromApi ? figures.issues : [],
    regressedIssueIds: regressed,
    triage,
    caveats: fromApi ? figures.caveats : [figures.caveat],
  });
  // Without GlitchTip nothing is known about errors: never call such a day empty.
  if (!fromApi) return { report: { ...report, empty: false }, issues: [], components: 'missing' };
  if (figures.breakdown !== 'unknown') return { report, issues: figures.issues, components: figures.breakdown };
  return withStoredComponents(sources.db, report);
}

/** A day past GlitchTip's per-issue stats: its components as stored when it was reported, never a column of zeros. */
async function withStoredComponents(db: Database, report: DailyReport): Promise<BuiltReport> {
  const stored = await storedDayComponents(db, report.date);
  const caveat = stored.length
    ? `GlitchTip no longer holds per-issue counts for ${report.date}: the components are the figures stored when the day was first reported.`
    : `GlitchTip no longer holds per-issue counts for ${report.date} and none were stored: no breakdown by component or issue; the totals are exact.`;
  return {
    report: { ...report, components: stored, quickActions: quickActionsOf(report.topIssues, stored), caveats: [...report.caveats, caveat], empty: report.empty && stored.length === 0 },
    issues: [],
    components: stored.length ? 'stored' : 'missing',
  };
}

export type StoreOutcome = 'stored' | 'kept-stored' | 'nothing-to-store';

/**
 * Keeps the day's figures in metrics_history (trends outlive GlitchTip's retention). Only an exact breakdown replaces
 * stored rows; an estimate is stored only for a day never stored; figures read back or missing are never written.
 */
export async function storeDailyReport(db: Database, built: BuiltReport): Promise<StoreOutcome> {
  if (built.components === 'stored' || built.components === 'missing') return 'nothing-to-store';
  if (built.components === 'estimated' && (await storedDayComponents(db, built.report.date)).length > 0) return 'kept-stored';
  const resolved: Record<string, number> = {};
  for (const issue of built.issues) if (issue.events > 0 && issue.status === 'resolved') resolved[issue.component] = (resolved[issue.component] ?? 0) + 1;
  await saveDayFigures(db, built.report, resolved);
  return 'stored';
}

export const chartDays = 14;

/**
 * Events per component over the 14 days ending with `date`, from metrics_history, as a PNG. `thisDay` replaces the
 * stored figures of `date` (a dry run that stored nothing still charts the day it shows).
 */
export async function renderHistoryChart(db: Database, date: string, size: ChartSize = defaultChartSize, thisDay?: DailyReport): Promise<Buffer> {
  const days = Array.from({ length: chartDays }, (_, index) => addDays(date, index - chartDays + 1));
  const stored = await componentHistory(db, days[0]!, date);
  const points = thisDay
    ? [...stored.filter((point) => point.date !== date), ...thisDay.components.map((component) => ({ date, component: component.component, events: component.events }))]
    : stored;
  return renderChartPng(eventsChartSpec(points, days, `Events per component, ${days[0]} to ${date}`, size));
}
