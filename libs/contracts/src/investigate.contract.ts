import { z } from 'zod';
import { defineJob, retryPolicy } from '@triage/queue';

export const investigateSchema = z.object({
  issueId: z.string().regex(/^\d+$/, 'must be a numeric GlitchTip issue id'),
  requestedBy: z.string().default('system'),
  /** Skip the 24 h cache (the Investigate button, /investigate, `--no-cache`). */
  force: z.boolean().default(false),
  /** The hard limit of one run; the report says which step it cut short. */
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
});

export const defaultInvestigateTimeoutMs = 30_000;

export const investigate = defineJob({
  name: 'investigate',
  description: 'Find the files, suspect commits, similar fixed issues and runbook for an issue; comment on it',
  schema: investigateSchema,
  defaultOptions: retryPolicy(3, 5_000),
});
