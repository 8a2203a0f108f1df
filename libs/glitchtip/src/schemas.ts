import { z } from 'zod';

// Shapes from shared/contract/glitchtip/CONTRACT.md §2 and the api_*.json examples. Unknown keys are dropped
// except where a payload passes SDK data through (frames, exception values), which stay loose.

export const issueStatuses = ['unresolved', 'resolved', 'ignored'] as const;
export type IssueStatus = (typeof issueStatuses)[number];

export const issueLevels = ['sample', 'debug', 'info', 'warning', 'error', 'fatal'] as const;
export type IssueLevel = (typeof issueLevels)[number];

/** GlitchTip sends counts as strings ("57"); a number is accepted too in case a later version fixes that. */
const countFromString = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const count = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(count) || count < 0) {
    ctx.addIssue({ code: 'custom', message: `not a count: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return count;
});

const idString = z.union([z.string(), z.number()]).transform(String);

export const issueProjectSchema = z.object({
  id: idString,
  platform: z.string().nullable().optional().transform((value) => value ?? null),
  slug: z.string(),
  name: z.string(),
});

const snakeCaseIssueKeys: Record<string, string> = {
  share_id: 'shareId',
  status_details: 'statusDetails',
  subscription_details: 'subscriptionDetails',
  user_count: 'userCount',
  matching_event_id: 'matchingEventId',
  user_report_count: 'userReportCount',
  num_comments: 'numComments',
  short_id: 'shortId',
  first_seen: 'firstSeen',
  last_seen: 'lastSeen',
};

/** The single-issue PUT answers in snake_case (declared without by_alias); list and detail are camelCase. */
function camelCaseIssueKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[snakeCaseIssueKeys[key] ?? key] = item;
  return out;
}

export const issueSchema = z.preprocess(
  camelCaseIssueKeys,
  z.object({
    id: idString,
    count: countFromString,
    type: z.string(),
    level: z.enum(issueLevels),
    status: z.enum(issueStatuses),
    project: issueProjectSchema,
    shortId: z.string(),
    numComments: z.number().int(),
    /** Added to GlitchTip in late 2025; older servers leave it out. */
    permalink: z.string().nullable().optional().transform((value) => value ?? null),
    userCount: z.number().int().optional().transform((value) => value ?? 0),
    matchingEventId: z.string().nullable().optional().transform((value) => value ?? null),
    firstSeen: z.string(),
    lastSeen: z.string(),
    title: z.string(),
    metadata: z.record(z.string(), z.unknown()).nullable().transform((value) => value ?? {}),
    culprit: z.string().nullable().transform((value) => value ?? ''),
    /** Only on the detail endpoint. */
    userReportCount: z.number().int().optional(),
  }),
);
export type GlitchTipIssue = z.output<typeof issueSchema>;

export const issueListSchema = z.array(issueSchema);

export const bulkUpdateResponseSchema = z.object({
  status: z.enum(issueStatuses).nullable().optional(),
  merge: z.unknown().optional(),
});

const contextLineSchema = z.tuple([z.number(), z.string().nullable()]);

/** One stack frame as GlitchTip returns it: in_app/abs_path/lineno/colno renamed, everything else passed through. */
export const stackFrameSchema = z.looseObject({
  filename: z.string().nullish(),
  function: z.string().nullish(),
  module: z.string().nullish(),
  context_line: z.string().nullish(),
  inApp: z.boolean().nullish(),
  absPath: z.string().nullish(),
  lineNo: z.number().nullish(),
  colNo: z.number().nullish(),
  context: z.array(contextLineSchema).nullish(),
  vars: z.record(z.string(), z.unknown()).nullish(),
});
export type StackFrame = z.output<typeof stackFrameSchema>;

export const exceptionValueSchema = z.looseObject({
  type: z.string().nullish(),
  value: z.string().nullish(),
  module: z.string().nullish(),
  mechanism: z.looseObject({ type: z.string().nullish(), handled: z.boolean().nullish() }).nullish(),
  stacktrace: z.looseObject({ frames: z.array(stackFrameSchema).nullish() }).nullish(),
});
export type ExceptionValue = z.output<typeof exceptionValueSchema>;

export const exceptionEntrySchema = z.object({
  type: z.literal('exception'),
  data: z.looseObject({
    values: z.array(exceptionValueSchema).nullish().transform((values) => values ?? []),
    hasSystemFrames: z.boolean().optional(),
  }),
});
export type ExceptionEntry = z.output<typeof exceptionEntrySchema>;

export const otherEntrySchema = z.object({
  type: z.string().refine((type) => type !== 'exception'),
  data: z.unknown(),
});

export const eventTagSchema = z.object({ key: z.string(), value: z.string() });

export const eventSchema = z.object({
  id: z.string(),
  eventID: z.string(),
  /** An int in GlitchTip (Sentry sends a string); exposed as a number either way. */
  projectID: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  groupID: idString,
  dateCreated: z.string(),
  dateReceived: z.string().nullish().transform((value) => value ?? null),
  culprit: z.string().nullish().transform((value) => value ?? ''),
  type: z.string(),
  message: z.string().nullish().transform((value) => value ?? ''),
  title: z.string(),
  platform: z.string().nullish().transform((value) => value ?? null),
  metadata: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? {}),
  packages: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? {}),
  tags: z.array(eventTagSchema).nullish().transform((value) => value ?? []),
  entries: z.array(z.union([exceptionEntrySchema, otherEntrySchema])),
  contexts: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? {}),
  /** The SDK's `extra` data. */
  context: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? null),
  user: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? null),
  sdk: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? null),
  userReport: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? null),
  nextEventID: z.string().nullish().transform((value) => value ?? null),
  previousEventID: z.string().nullish().transform((value) => value ?? null),
});
export type GlitchTipEvent = z.output<typeof eventSchema>;

export const issueTagSchema = z.object({
  key: z.string(),
  name: z.string(),
  uniqueValues: z.number().int(),
  totalValues: z.number().int(),
  topValues: z.array(z.object({ key: z.string(), name: z.string(), value: z.string(), count: z.number().int() })),
});
export type IssueTag = z.output<typeof issueTagSchema>;
export const issueTagListSchema = z.array(issueTagSchema);

export const commentSchema = z.object({
  id: z.number().int(),
  data: z.object({ text: z.string() }),
  type: z.string(),
  dateCreated: z.string(),
  user: z.object({ id: idString, email: z.string().nullish() }).nullable(),
});
export type GlitchTipComment = z.output<typeof commentSchema>;
export const commentListSchema = z.array(commentSchema);

export const organizationSchema = z.object({
  id: idString,
  name: z.string(),
  slug: z.string(),
  isAcceptingEvents: z.boolean().optional(),
  dateCreated: z.string().optional(),
});
export type GlitchTipOrganization = z.output<typeof organizationSchema>;
export const organizationListSchema = z.array(organizationSchema);

/** GET /api/0/. `auth.token` is deliberately not kept: the parsed root must be safe to log. */
export const rootSchema = z.object({
  version: z.string(),
  user: z
    .object({ id: idString, username: z.string().nullish(), email: z.string().nullish(), name: z.string().nullish() })
    .nullable(),
  auth: z
    .object({ id: z.number().int(), label: z.string().nullish(), scopes: z.array(z.string()), created: z.string().nullish() })
    .nullable(),
});
export type GlitchTipRoot = z.output<typeof rootSchema>;

const statsSeries = z
  .array(z.tuple([z.number(), z.number()]))
  .nullish()
  .transform((value) => value ?? null);

export const issueStatsSchema = z.object({
  id: idString,
  count: countFromString,
  userCount: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  isUnhandled: z.boolean(),
  stats: z.object({ '24h': statsSeries.optional().transform((v) => v ?? null), '14d': statsSeries.optional().transform((v) => v ?? null) }),
});
export type IssueStats = z.output<typeof issueStatsSchema>;
export const issueStatsListSchema = z.array(issueStatsSchema);

export const statsV2Schema = z.object({
  intervals: z.array(z.string()),
  groups: z.array(z.object({ series: z.record(z.string(), z.array(z.number().nullable())) })),
});
export type StatsV2 = z.output<typeof statsV2Schema>;

/**
 * GET /api/0/projects/{org}/{project}/alerts/ (CONTRACT §1.1, api_project_alert_create.json). GlitchTip evaluates
 * only rules with both quantity and timespanMinutes set: at least `quantity` events within `timespanMinutes`.
 */
export const projectAlertSchema = z.object({
  id: z.number().int(),
  name: z.string().nullish(),
  timespanMinutes: z.number().int().nullable(),
  quantity: z.number().int().nullable(),
  uptime: z.boolean(),
  alertRecipients: z.array(z.object({ id: z.number().int(), recipientType: z.string(), url: z.string().nullish() })).optional(),
});
export type ProjectAlertRule = z.output<typeof projectAlertSchema>;
export const projectAlertListSchema = z.array(projectAlertSchema);
