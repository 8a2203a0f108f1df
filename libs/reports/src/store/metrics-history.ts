import { and, eq, gte, lte, ne, sql } from 'drizzle-orm';
import { metricsHistory, type Database } from '@triage/db';
import { priorityOf } from '../aggregate/aggregate-report';
import type { ComponentFigures, DailyReport, Priority } from '../aggregate/report-types';
import type { ChartPoint } from '../chart/events-chart';

/** The row holding a day's totals beside its per-component rows. */
export const totalComponent = '*';

/**
 * The one writer of metrics_history: a day's figures per component plus a totals row, upserted by (date, component)
 * so a rerun replaces them; components that had events in an earlier run and none now are set to zero. Call it only
 * with a day's exact breakdown (or a first estimate): storeDailyReport decides.
 */
export async function saveDayFigures(db: Database, report: DailyReport, resolvedByComponent: Record<string, number>): Promise<void> {
  const rows = [
    ...report.components.map((component) => ({
      date: report.date,
      component: component.component,
      events: component.events,
      newIssues: report.newIssues.filter((line) => line.component === component.component).length,
      resolvedIssues: resolvedByComponent[component.component] ?? 0,
      details: { issues: component.issues, priority: component.priority },
    })),
    {
      date: report.date,
      component: totalComponent,
      events: report.events.now,
      newIssues: report.newIssues.length,
      resolvedIssues: Object.values(resolvedByComponent).reduce((sum, count) => sum + count, 0),
      details: { issues: report.issues.now, unresolvedP1: report.unresolvedP1, regressed: report.regressedIssues.length, timeZone: report.timeZone, triage: report.triage },
    },
  ];
  await db.transaction(async (tx) => {
    await tx
      .update(metricsHistory)
      .set({ events: 0, newIssues: 0, resolvedIssues: 0 })
      .where(and(eq(metricsHistory.date, report.date), ne(metricsHistory.component, totalComponent)));
    await tx
      .insert(metricsHistory)
      .values(rows)
      .onConflictDoUpdate({
        target: [metricsHistory.date, metricsHistory.component],
        set: {
          events: sql`excluded.events`,
          newIssues: sql`excluded.new_issues`,
          resolvedIssues: sql`excluded.resolved_issues`,
          details: sql`excluded.details`,
          createdAt: sql`now()`,
        },
      });
  });
}

/** Events per component and day in [from, to] (inclusive dates), for the chart. */
export async function componentHistory(db: Database, from: string, to: string): Promise<ChartPoint[]> {
  const rows = await db
    .select({ date: metricsHistory.date, component: metricsHistory.component, events: metricsHistory.events })
    .from(metricsHistory)
    .where(and(gte(metricsHistory.date, from), lte(metricsHistory.date, to), ne(metricsHistory.component, totalComponent)));
  return rows.filter((row) => row.events > 0);
}

/** A stored day's total events, when that day was recorded. */
export async function storedDayTotal(db: Database, date: string): Promise<number | undefined> {
  const [row] = await db
    .select({ events: metricsHistory.events })
    .from(metricsHistory)
    .where(and(eq(metricsHistory.date, date), eq(metricsHistory.component, totalComponent)));
  return row?.events;
}

const priorities: ReadonlySet<string> = new Set<Priority>(['P1', 'P2', 'P3']);

function storedComponent(row: { component: string; events: number; details: unknown }): ComponentFigures {
  const details = (row.details ?? {}) as { issues?: unknown; priority?: unknown };
  const priority = typeof details.priority === 'string' && priorities.has(details.priority) ? (details.priority as Priority) : priorityOf(row.events);
  return { component: row.component, events: row.events, issues: typeof details.issues === 'number' ? details.issues : 0, priority };
}

/** A stored day's per-component figures (those with events), busiest first; empty when the day was never stored. */
export async function storedDayComponents(db: Database, date: string): Promise<ComponentFigures[]> {
  const rows = await db
    .select({ component: metricsHistory.component, events: metricsHistory.events, details: metricsHistory.details })
    .from(metricsHistory)
    .where(and(eq(metricsHistory.date, date), ne(metricsHistory.component, totalComponent)));
  return rows
    .filter((row) => row.events > 0)
    .map(storedComponent)
    .sort((a, b) => b.events - a.events || a.component.localeCompare(b.component));
}
