import { z } from 'zod';

export const issueLevels = ['sample', 'debug', 'info', 'warning', 'error', 'fatal'] as const;
export type IssueLevel = (typeof issueLevels)[number];

/** One issue as a GlitchTip alert body describes it (the body has no level, count or stack: those need the API). */
export const issueSignalSchema = z.object({
  kind: z.literal('issue'),
  issueId: z.string().regex(/^\d+$/, 'must be a numeric GlitchTip issue id'),
  title: z.string().min(1).max(2_000),
  culprit: z.string().max(2_000).nullable(),
  url: z.url(),
  orgSlug: z.string().nullable(),
  /** From the attachment colour: red means error or fatal, blue info; anything else is unknown (GlitchTip sends null for warnings). */
  levelHint: z.enum(['error', 'info']).nullable(),
  project: z.string().nullable(),
  environment: z.string().nullable(),
  release: z.string().nullable(),
  serverName: z.string().nullable(),
  shortId: z.string().nullable(),
  /** Extra tags the alert recipient was configured to add (tags_to_add), keyed by the field title. */
  extraTags: z.record(z.string(), z.string()),
});

export const uptimeSignalSchema = z.object({
  kind: z.literal('uptime'),
  monitorId: z.string().regex(/^\d+$/, 'must be a numeric monitor id'),
  name: z.string().min(1).max(2_000),
  url: z.url(),
  orgSlug: z.string().nullable(),
  down: z.boolean(),
  message: z.string(),
});

export const alertSignalSchema = z.discriminatedUnion('kind', [issueSignalSchema, uptimeSignalSchema]);

export type IssueSignal = z.infer<typeof issueSignalSchema>;
export type UptimeSignal = z.infer<typeof uptimeSignalSchema>;
export type AlertSignal = z.infer<typeof alertSignalSchema>;
