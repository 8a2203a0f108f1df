import type { Database } from '@triage/db';
import type { GlitchTipIssue } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { aggregateReport } from './aggregate/aggregate-report';
import type { DailyReport, IssueDayFigures } from './aggregate/report-types';
import { defaultChartSize, eventsChartSpec, renderChartPng, type ChartSize } from './chart/events-chart';
import { collectGlitchTipFigures, readRecentIssueHours, type GlitchTipFigures, type HourHistory, type ReportGlitchTip } from './collect/glitchtip-figures';
import { collectTriageActivity, regressedIssueIds } from './collect/triage-activity';
import { addDays, dayWindow } from './day/day-window';
import { issueHourReadTimes, readIssueHours, saveIssueHours, type IssueHourRow } from './store/issue-hours';
import { componentHistory, saveDayFigures } from './store/metrics-history';

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

export interface BuiltReport {
  report: DailyReport;
  issues: IssueDayFigures[];
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
  return { report: fromApi ? report : { ...report, empty: false }, issues: fromApi ? figures.issues : [] };
}

/** Keeps the day's figures in metrics_history (trends outlive GlitchTip's retention). */
export async function storeDailyReport(db: Database, built: BuiltReport): Promise<void> {
  if (built.report.caveats.some((caveat) => caveat.startsWith('GlitchTip figures unavailable'))) return;
  const resolved: Record<string, number> = {};
  for (const issue of built.issues) if (issue.events > 0 && issue.status === 'resolved') resolved[issue.component] = (resolved[issue.component] ?? 0) + 1;
  await saveDayFigures(db, built.report, resolved);
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
