import type { Change, ComponentFigures, DailyReport, IssueDayFigures, IssueLine, Priority, ReportInputs } from './report-types';

/** P1 over 10 events in the day, P2 over 5, else P3 (the product's rule, per component and per issue). */
export function priorityOf(events: number): Priority {
  if (events > 10) return 'P1';
  if (events > 5) return 'P2';
  return 'P3';
}

export function changeOf(now: number, before: number): Change {
  return { now, before, delta: now - before, percent: before === 0 ? undefined : Math.round(((now - before) / before) * 1000) / 10 };
}

const byEventsThenId = (a: { events: number; id: string }, b: { events: number; id: string }) => b.events - a.events || a.id.localeCompare(b.id, 'en', { numeric: true });

function lineOf(issue: IssueDayFigures): IssueLine {
  return { id: issue.id, title: issue.title, shortId: issue.shortId, link: issue.link, component: issue.component, events: issue.events, priority: priorityOf(issue.events) };
}

export function componentsOf(issues: IssueDayFigures[]): ComponentFigures[] {
  const byComponent = new Map<string, { events: number; issues: number }>();
  for (const issue of issues) {
    if (issue.events === 0) continue;
    const figures = byComponent.get(issue.component) ?? { events: 0, issues: 0 };
    figures.events += issue.events;
    figures.issues += 1;
    byComponent.set(issue.component, figures);
  }
  return [...byComponent.entries()]
    .map(([component, figures]) => ({ component, ...figures, priority: priorityOf(figures.events) }))
    .sort((a, b) => b.events - a.events || a.component.localeCompare(b.component));
}

export const topIssueCount = 5;

/** Commands worth pressing after reading: investigate the top issue, list the busiest component's errors. */
export function quickActionsOf(topIssues: IssueLine[], components: ComponentFigures[]): string[] {
  const actions: string[] = [];
  if (topIssues[0]) actions.push(`/investigate ${topIssues[0].id}`);
  const busiest = components[0]?.component;
  if (busiest && /^[A-Za-z0-9_.-]{1,64}$/.test(busiest) && busiest !== 'unknown') actions.push(`/errors ${busiest} 24`);
  return actions;
}

/** The day's report from its figures: no I/O, so every rule here is table-tested. */
export function aggregateReport(inputs: ReportInputs): DailyReport {
  const { window, issues } = inputs;
  const active = issues.filter((issue) => issue.events > 0).sort(byEventsThenId);
  const activeBefore = issues.filter((issue) => issue.eventsDayBefore > 0);
  const issueEvents = active.reduce((sum, issue) => sum + issue.events, 0);
  const issueEventsBefore = activeBefore.reduce((sum, issue) => sum + issue.eventsDayBefore, 0);
  const totals = inputs.totalEvents ?? { day: issueEvents, dayBefore: issueEventsBefore };
  const isNew = (issue: IssueDayFigures) => issue.firstSeen >= window.start && issue.firstSeen < window.end;
  const regressed = new Set(inputs.regressedIssueIds);
  const topIssues = active.slice(0, topIssueCount).map(lineOf);
  return {
    date: window.date,
    timeZone: window.timeZone,
    events: changeOf(totals.day, totals.dayBefore),
    issues: changeOf(active.length, activeBefore.length),
    components: componentsOf(active),
    topIssues,
    newIssues: active.filter(isNew).map(lineOf),
    regressedIssues: active.filter((issue) => regressed.has(issue.id) && !isNew(issue)).map(lineOf),
    unresolvedP1: active.filter((issue) => issue.status === 'unresolved' && priorityOf(issue.events) === 'P1').length,
    triage: inputs.triage,
    quickActions: quickActionsOf(topIssues, componentsOf(active)),
    caveats: inputs.caveats,
    empty: totals.day === 0 && active.length === 0,
  };
}
