import { z } from 'zod';
import { defineJob, retryPolicy } from '@triage/queue';

export const investigateSchema = z.object({
  issueId: z.string().regex(/^\d+$/, 'must be a numeric GlitchTip issue id'),
  requestedBy: z.string().default('system'),
  force: z.boolean().default(false),
});

export const investigate = defineJob({
  name: 'investigate',
  description: 'Find the files, suspect commits, similar fixed issues and runbook for an issue; comment on it',
  schema: investigateSchema,
  defaultOptions: retryPolicy(3, 5_000),
});
