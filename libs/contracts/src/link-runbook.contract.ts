import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';

/**
 * One issue (after a new alert or a regression), or `sweep`: the hourly pass over unresolved issues that links
 * runbooks to issues that alerted before a runbook existed, or whose runbook was added or edited since.
 */
export const linkRunbookSchema = z.union([
  z.object({ issueId: z.string().regex(/^\d+$/, 'must be a numeric GlitchTip issue id') }).strict(),
  z.object({ sweep: z.literal(true) }).strict(),
]);

export type LinkRunbookPayload = z.output<typeof linkRunbookSchema>;

export const linkRunbook = defineJob({
  name: 'link-runbook',
  description: 'Match an issue against the runbooks and link the best one in a GlitchTip comment and under its alert',
  schema: linkRunbookSchema,
  defaultOptions: retryPolicy(5, 5_000),
  jobId: (payload) => ('issueId' in payload ? safeJobId('runbook', payload.issueId) : safeJobId('runbook-sweep', Math.floor(Date.now() / 3_600_000))),
});
