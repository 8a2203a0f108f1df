import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';

export const investigationSummarySchema = z.object({
  /** The finished `investigations` row the summary is about (its vote buttons carry this id). */
  investigationId: z.number().int().positive(),
  issueId: z.string().regex(/^\d+$/, 'must be a numeric GlitchTip issue id'),
  summary: z.string().min(1).max(10_000),
  findingsHash: z.string().min(1).max(128),
});
export type InvestigationSummaryPayload = z.output<typeof investigationSummarySchema>;

/**
 * The Telegram side of a finished investigation, as its own job: a paced send puts only this job back as delayed,
 * never the investigation (which would run, record and publish again).
 */
export const investigationSummary = defineJob({
  name: 'investigation-summary',
  description: 'Add an investigation summary to the alert and send it, with vote buttons, under each alert message',
  schema: investigationSummarySchema,
  defaultOptions: retryPolicy(5, 2_000),
  jobId: (payload) => safeJobId('investigation-summary', payload.investigationId),
});
