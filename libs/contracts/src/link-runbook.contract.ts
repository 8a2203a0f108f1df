import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';

export const linkRunbookSchema = z.object({
  issueId: z.string().regex(/^\d+$/, 'must be a numeric GlitchTip issue id'),
});

export const linkRunbook = defineJob({
  name: 'link-runbook',
  description: 'Match an issue against the runbooks and link the best one in a GlitchTip comment',
  schema: linkRunbookSchema,
  defaultOptions: retryPolicy(5, 5_000),
  jobId: (payload) => safeJobId('runbook', payload.issueId),
});
