/** The daily report: day windows in REPORT_TZ, figures from GlitchTip and Triage's tables, aggregation, text, chart, and its two tables' writers. */
export { dayWindow, startOfDay, addDays, dateIn, yesterdayIn, hoursIn, zoneOffsetMs, type DayWindow } from './day/day-window';
export { aggregateReport, priorityOf, changeOf, componentsOf, quickActionsOf, topIssueCount } from './aggregate/aggregate-report';
export type { DailyReport, ReportInputs, IssueDayFigures, ComponentFigures, IssueLine, Change, Priority, TriageActivity } from './aggregate/report-types';
export { renderReport, formatChange, type RenderedReport } from './render/render-report';
export { eventsChartSpec, renderChartPng, chartPoints, pngSize, defaultChartSize, maxChartComponents, type ChartPoint, type ChartSize } from './chart/events-chart';
export { collectGlitchTipFigures, readRecentIssueHours, type ReportGlitchTip, type GlitchTipFigures, type CollectOptions, type HourHistory, type IssueBreakdown } from './collect/glitchtip-figures';
export { rangeCovered, eventsFromHours, hourStartsIn } from './collect/hour-coverage';
export { saveIssueHours, readIssueHours, issueHourReadTimes, issueHoursKeptDays, type IssueHourRow } from './store/issue-hours';
export { eventsFromDailyBuckets, statsV2EventsInRange, hourAligned, wholeUtcDays, type TimeRange } from './collect/issue-day-events';
export { collectTriageActivity, regressedIssueIds } from './collect/triage-activity';
export { saveDayFigures, componentHistory, storedDayTotal, storedDayComponents, totalComponent } from './store/metrics-history';
export {
  claimDelivery,
  deliveryStatus,
  markPhotoSent,
  markChartRefused,
  markSent,
  markSkipped,
  releaseClaim,
  markUnknown,
  markTextSending,
  staleClaimMs,
  type Claim,
  type DeliveryRow,
  type DeliveryStatus,
} from './store/report-deliveries';
export { buildDailyReport, storeDailyReport, renderHistoryChart, collectIssueHours, chartDays, type ReportSources, type BuiltReport, type ComponentSource, type StoreOutcome } from './build-daily-report';
export * from './review/index';
