import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';

/** A burst of webhook bodies for one project within this window asks for one immediate poll. */
export const PROJECT_POLL_WINDOW_MS = 60_000;

/**
 * An immediate poll of one project, asked for by the ingress when a webhook body says "(N issues)" but lists fewer:
 * GlitchTip puts at most 3 issues in a body. The body names the project only by its display name, so the poll finds
 * the project through one of the issues it does list.
 */
export const projectPollSchema = z.object({
  /** The project's display name as the body gives it (for logs and the job id). */
  name: z.string().min(1).max(200),
  /** An issue of the body, numeric: its project is the one to poll. */
  issueId: z.string().regex(/^\d+$/),
  /** The issues the body listed: their own process-alert jobs carry them, so the poll leaves them alone. */
  listedIssueIds: z.array(z.string().regex(/^\d+$/)).max(100),
  /** The N of "(N issues)". */
  statedIssueCount: z.number().int().min(1),
});

export const pollIssuesSchema = z.object({
  /** How far back to list issues by last seen, in minutes. */
  lookbackMinutes: z.number().int().min(1).max(24 * 60).default(15),
  /** Set: poll only this project, now (the minute poll covers every project). */
  project: projectPollSchema.optional(),
  /** When it was asked for (ISO); buckets the job id of project polls. */
  requestedAt: z.iso.datetime().optional(),
});

export type PollIssuesPayload = z.output<typeof pollIssuesSchema>;
export type ProjectPoll = z.output<typeof projectPollSchema>;

export const pollIssues = defineJob({
  name: 'poll-issues',
  description: 'List recently seen issues through the API and enqueue alerts the webhook lost and regressions',
  schema: pollIssuesSchema,
  defaultOptions: { ...retryPolicy(1, 1_000), removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  // Project polls: one per project and minute, however many bodies asked. Others (the scheduler sets its own ids).
  jobId: (payload) => {
    const bucket = Math.floor(Date.parse(payload.requestedAt ?? new Date().toISOString()) / PROJECT_POLL_WINDOW_MS);
    return payload.project ? safeJobId('poll-project', payload.project.name.toLowerCase(), bucket) : safeJobId('poll-all', bucket);
  },
});
