import { z } from 'zod';
import { defineJob, retryPolicy } from '@triage/queue';

export const dailyReportSchema = z.object({
  /** The report's day (YYYY-MM-DD in REPORT_TZ); the scheduler leaves it out and the handler takes yesterday. */
  date: z.iso.date().optional(),
  dryRun: z.boolean().default(false),
  /**
   * Only read the hourly counts of the issues seen in the last 24 h and keep them (a scheduler every 30 minutes), so a
   * day in any REPORT_TZ, 23 or 25 hours long, is counted exactly after GlitchTip has dropped its hours.
   */
  collectHours: z.boolean().default(false),
});

export const dailyReport = defineJob({
  name: 'daily-report',
  description: 'Aggregate yesterday\'s errors per component, store them, and send the report',
  schema: dailyReportSchema,
  defaultOptions: retryPolicy(5, 30_000),
});
