import { z } from 'zod';
import { defineJob, retryPolicy } from '@triage/queue';

export const pollIssuesSchema = z.object({
  /** How far back to list issues by last seen, in minutes. */
  lookbackMinutes: z.number().int().min(1).max(24 * 60).default(15),
});

export const pollIssues = defineJob({
  name: 'poll-issues',
  description: 'List recently seen issues through the API and enqueue alerts the webhook lost and regressions',
  schema: pollIssuesSchema,
  defaultOptions: { ...retryPolicy(1, 1_000), removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
});
