import { z } from 'zod';
import { extractExceptions, type GlitchTipEvent, type GlitchTipIssue, type NormalizedFrame } from '@triage/glitchtip';
import type { ProcessAlertPayload } from '@triage/contracts';
import { alertTransitions } from './alert-state';

/** The enriched alert as stored in `alerts.snapshot`; send-alert renders every message and edit from it. */
export const alertSnapshotSchema = z.object({
  kind: z.enum(['issue', 'uptime']),
  issueId: z.string(),
  shortId: z.string().nullable(),
  title: z.string(),
  culprit: z.string().nullable(),
  level: z.enum(['sample', 'debug', 'info', 'warning', 'error', 'fatal']).nullable(),
  status: z.enum(['unresolved', 'resolved', 'ignored']),
  project: z.string().nullable(),
  component: z.string().nullable(),
  environment: z.string().nullable(),
  release: z.string().nullable(),
  serverName: z.string().nullable(),
  count: z.number().int().nullable(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  issueUrl: z.string(),
  /** Most recent call first, in-app frames marked; already trimmed to a readable size. */
  stackTrace: z.string().nullable(),
  /** In-app frames (innermost first, at most 20) for the investigation. */
  frames: z.array(
    z.object({ filename: z.string().nullable(), absPath: z.string().nullable(), function: z.string().nullable(), lineNo: z.number().nullable(), inApp: z.boolean() }),
  ),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
  regression: z.boolean(),
  /** false when the GlitchTip API was not configured or did not answer: the webhook's data alone. */
  enriched: z.boolean(),
  uptime: z
    .object({
      down: z.boolean(),
      monitorName: z.string(),
      message: z.string(),
      /** When the outage began (the first down after being up); kept through the recovery. */
      downSince: z.string().nullable().default(null),
      /** On a recovery: how long the monitor was down ("recovered after 12 min"). */
      downForMs: z.number().int().nonnegative().nullable().default(null),
    })
    .nullable(),
  /** What the signal recorded in this snapshot changed (the send-alert reason); null in snapshots of older builds. */
  transition: z.enum(alertTransitions).nullable().default(null),
  /**
   * Webhook-only mode: the body said "(N issues)" but listed fewer; how many more and GlitchTip's issue list, for a
   * "+N more" line. Absent otherwise (and in snapshots of older builds).
   */
  moreIssues: z.object({ count: z.number().int().min(1), url: z.string() }).optional(),
});
export type AlertSnapshot = z.output<typeof alertSnapshotSchema>;

const STACK_TRACE_MAX_FRAMES = 25;

/** `  at fn (path:line)` lines, the frame that raised first, as people read traces on a phone. */
export function formatStackTrace(event: Pick<GlitchTipEvent, 'entries'>): string | null {
  const exceptions = extractExceptions(event);
  if (exceptions.length === 0) return null;
  const lines: string[] = [];
  for (const exception of [...exceptions].reverse()) {
    const heading = [exception.type, exception.value].filter(Boolean).join(': ');
    if (heading) lines.push(heading);
    for (const frame of [...exception.frames].reverse().slice(0, STACK_TRACE_MAX_FRAMES)) lines.push(formatFrame(frame));
  }
  return lines.join('\n');
}

function formatFrame(frame: NormalizedFrame): string {
  const where = `${frame.filename ?? frame.absPath ?? '?'}${frame.lineNo !== null ? `:${frame.lineNo}` : ''}`;
  return `${frame.inApp ? '→' : ' '} at ${frame.function ?? '<anonymous>'} (${where})`;
}

function tagValue(tags: Array<{ key: string; value: string }>, key: string): string | null {
  return tags.find((tag) => tag.key === key)?.value ?? null;
}

/** The key an alert is recorded under: GlitchTip issue ids, or uptime monitors namespaced so they cannot collide. */
export function alertKeyOf(payload: ProcessAlertPayload): string {
  return payload.kind === 'issue' ? payload.issueId : `uptime-${payload.monitorId}`;
}

export interface EnrichmentData {
  issue: GlitchTipIssue;
  event: GlitchTipEvent | null;
}

/** Webhook (or poller) data, overlaid with the API's issue and latest event when we have them. */
export function buildAlertSnapshot(payload: ProcessAlertPayload, enrichment: EnrichmentData | null, componentTag: string): AlertSnapshot {
  if (payload.kind === 'uptime') {
    return {
      kind: 'uptime',
      issueId: alertKeyOf(payload),
      shortId: null,
      title: payload.name,
      culprit: null,
      level: payload.down ? 'error' : 'info',
      status: payload.down ? 'unresolved' : 'resolved',
      project: null,
      component: null,
      environment: null,
      release: null,
      serverName: null,
      count: null,
      firstSeen: null,
      lastSeen: payload.receivedAt,
      issueUrl: payload.url,
      stackTrace: null,
      frames: [],
      tags: [],
      regression: false,
      enriched: false,
      uptime: { down: payload.down, monitorName: payload.name, message: payload.message, downSince: null, downForMs: null },
      transition: null,
    };
  }
  const webhookTags = Object.entries(payload.extraTags).map(([key, value]) => ({ key: key.toLowerCase(), value }));
  const eventTags = enrichment?.event?.tags ?? [];
  const tags = eventTags.length > 0 ? eventTags.map(({ key, value }) => ({ key, value: String(value) })) : webhookTags;
  const issue = enrichment?.issue;
  const event = enrichment?.event ?? null;
  const frames = event
    ? extractExceptions(event)
        .flatMap((exception) => exception.frames)
        .filter((frame) => frame.inApp)
        .reverse()
        .slice(0, 20)
        .map(({ filename, absPath, function: fn, lineNo, inApp }) => ({ filename, absPath, function: fn, lineNo, inApp }))
    : [];
  return {
    kind: 'issue',
    issueId: payload.issueId,
    shortId: issue?.shortId ?? payload.shortId,
    title: issue?.title ?? payload.title,
    culprit: issue?.culprit || payload.culprit,
    level: issue?.level ?? (payload.levelHint === 'error' ? 'error' : payload.levelHint === 'info' ? 'info' : null),
    status: issue?.status ?? 'unresolved',
    project: issue?.project.name ?? payload.project,
    component: tagValue(tags, componentTag),
    environment: tagValue(eventTags, 'environment') ?? payload.environment,
    release: tagValue(eventTags, 'release') ?? payload.release,
    serverName: tagValue(eventTags, 'server_name') ?? payload.serverName,
    count: issue?.count ?? null,
    firstSeen: issue?.firstSeen ?? null,
    lastSeen: issue?.lastSeen ?? payload.receivedAt,
    issueUrl: payload.url,
    stackTrace: event ? formatStackTrace(event) : null,
    frames,
    tags,
    regression: payload.regression,
    enriched: Boolean(issue),
    uptime: null,
    transition: null,
    ...(payload.moreIssues ? { moreIssues: payload.moreIssues } : {}),
  };
}
