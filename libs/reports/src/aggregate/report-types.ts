import type { DayWindow } from '../day/day-window';

export type Priority = 'P1' | 'P2' | 'P3';
export type IssueStatus = 'unresolved' | 'resolved' | 'ignored';

/** One GlitchTip issue's figures for the report's day and the day before. */
export interface IssueDayFigures {
  id: string;
  title: string;
  shortId: string | undefined;
  link: string | undefined;
  component: string;
  status: IssueStatus;
  level: string;
  firstSeen: Date;
  events: number;
  eventsDayBefore: number;
}

/** What Triage itself did during the day, from its own tables. */
export interface TriageActivity {
  alertsSent: number;
  investigations: number;
  runbooksLinked: number;
  telegramActions: number;
}

export interface ReportInputs {
  window: DayWindow;
  /** Organization-wide events (stats_v2) for the day and the day before; undefined without the GlitchTip API. */
  totalEvents: { day: number; dayBefore: number } | undefined;
  issues: IssueDayFigures[];
  regressedIssueIds: string[];
  triage: TriageActivity;
  /** Why GlitchTip figures are missing or partial, in words (shown in the report). */
  caveats: string[];
}

export interface ComponentFigures {
  component: string;
  events: number;
  issues: number;
  priority: Priority;
}

export interface Change {
  now: number;
  before: number;
  delta: number;
  /** undefined when the day before was 0. */
  percent: number | undefined;
}

export interface IssueLine {
  id: string;
  title: string;
  shortId: string | undefined;
  link: string | undefined;
  component: string;
  events: number;
  priority: Priority;
}

export interface DailyReport {
  date: string;
  timeZone: string;
  events: Change;
  issues: Change;
  components: ComponentFigures[];
  topIssues: IssueLine[];
  newIssues: IssueLine[];
  regressedIssues: IssueLine[];
  unresolvedP1: number;
  triage: TriageActivity;
  quickActions: string[];
  caveats: string[];
  empty: boolean;
}
