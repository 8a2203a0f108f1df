import { z } from 'zod';
import { defineJob, retryPolicy } from '@triage/queue';

export const weeklyReviewSchema = z.object({
  /** Whole weeks covered, ending the Monday before the run (REPORT_TZ). */
  weeks: z.number().int().min(1).max(26).default(1),
  dryRun: z.boolean().default(false),
});

export type WeeklyReviewPayload = z.output<typeof weeklyReviewSchema>;

export const weeklyReviewJob = defineJob({
  name: 'weekly-review',
  description: 'The weekly outcome review (A/B groups, votes, runbooks, jobs, tool use) with its chart, to OPS_CHAT_ID or TELEGRAM_CHAT_ID once per week',
  schema: weeklyReviewSchema,
  defaultOptions: retryPolicy(5, 30_000),
});
