import type { AlertView } from './alert-view';
import { formatCount, formatTimestamp, levelEmoji, unknownLevelEmoji } from './display-format';
import { displayLine, displayValue } from './message-fragments';
import { stackTraceHead, stackTraceText } from './stack-trace-text';

/** Caps per field, in UTF-16 code units, so that one huge value cannot crowd out the rest of the message. */
export const fieldLimits = {
  title: 512,
  culprit: 300,
  metaValue: 100,
  person: 64,
  stackTrace: 500,
  tagKey: 32,
  tagValue: 100,
  tags: 20,
  investigation: 700,
  runbookTitle: 100,
  shortId: 40,
} as const;

/** An AlertView reduced to what the message shows: every value scrubbed of PII, cut to its cap, not yet escaped. */
export interface AlertContent {
  kind: AlertView['kind'];
  emoji: string;
  title: string;
  shortId?: string;
  culprit?: string;
  placeLine: string[];
  countLine: string[];
  seenLine: string[];
  status?: string;
  stack?: string;
  tags: string[];
  hiddenTagCount: number;
  investigation?: { summary: string; url?: string };
  issueUrl: string;
  runbook?: { title: string; url: string };
  /** Issues the GlitchTip body counted but did not list (webhook-only mode). */
  moreIssues?: { count: number; url: string };
}

function present(value: string | undefined | null): value is string {
  return value !== undefined && value !== null && value.trim() !== '';
}

function statusLine(view: AlertView): string | undefined {
  const status = view.status;
  if (status === undefined) return undefined;
  const by = present(status.by) ? ` by ${displayLine(status.by, fieldLimits.person)}` : '';
  const at = present(status.at) ? ` at ${displayLine(formatTimestamp(status.at), fieldLimits.metaValue)}` : '';
  const until = present(status.until) ? ` until ${displayLine(formatTimestamp(status.until), fieldLimits.metaValue)}` : '';
  switch (status.state) {
    case 'resolved':
      return `✅ Resolved${by}${at}`;
    case 'ignored':
      return `🙈 Ignored${by}${at}${until}`;
    case 'muted':
      return `🔕 Muted${by}${until || at}`;
    case 'regressed':
      return `🔁 Regressed${at}`;
    case 'unresolved':
      return by || at ? `↩️ Reopened${by}${at}` : undefined;
  }
}

/** "👀 Acknowledged by @ana at …" while the alert is open, and the A/B control group's notice. */
function outcomeLines(view: AlertView): string[] {
  const outcome = view.outcome;
  if (outcome === undefined) return [];
  const open = view.status === undefined || view.status.state === 'unresolved' || view.status.state === 'regressed';
  const at = present(outcome.acknowledgedAt) ? ` at ${displayLine(formatTimestamp(outcome.acknowledgedAt), fieldLimits.metaValue)}` : '';
  return [
    ...(open && present(outcome.acknowledgedBy) ? [`👀 Acknowledged by ${displayLine(outcome.acknowledgedBy, fieldLimits.person)}${at}`] : []),
    ...(outcome.controlGroup ? ['🧪 Control group: no automatic help'] : []),
  ];
}

function headline(view: AlertView): { emoji: string; title: string } {
  if (view.kind === 'uptime' && view.uptime !== undefined) {
    const name = displayLine(view.uptime.monitorName, fieldLimits.title);
    if (view.uptime.down) return { emoji: '🚨', title: `Down: ${name}` };
    const after = view.uptime.downForMs === undefined ? '' : ` (recovered after ${formatOutage(view.uptime.downForMs)})`;
    return { emoji: '✅', title: `Up again: ${name}${after}` };
  }
  const emoji = view.level === null ? unknownLevelEmoji : levelEmoji[view.level];
  return { emoji, title: displayLine(view.title, fieldLimits.title) };
}

/** Scrubbed whole before it is cut, so the cut cannot leave half an e-mail address that no longer looks like one. */
function stackBlockText(view: AlertView): string | undefined {
  if (view.stackTrace === undefined) return undefined;
  const trace = stackTraceText(view.stackTrace);
  return trace.trim() === '' ? undefined : stackTraceHead(displayValue(trace, Number.POSITIVE_INFINITY), fieldLimits.stackTrace);
}

export function alertContent(view: AlertView): AlertContent {
  const meta = (label: string, value: string | undefined) =>
    present(value) ? [`${label}: ${displayLine(value, fieldLimits.metaValue)}`] : [];
  const { emoji, title } = headline(view);
  // For uptime alerts the monitor name is the headline, and GlitchTip's message (view.title) stands where a culprit would.
  const secondLine = view.kind === 'uptime' && view.uptime !== undefined ? view.title : view.culprit;
  const visibleTags = view.tags.slice(0, fieldLimits.tags);
  return {
    kind: view.kind,
    emoji,
    title,
    shortId: present(view.shortId) ? displayLine(view.shortId, fieldLimits.shortId) : undefined,
    culprit: present(secondLine) ? displayLine(secondLine, fieldLimits.culprit) : undefined,
    placeLine: [
      ...meta('Project', view.project),
      ...meta('Component', view.component),
      ...meta('Env', view.environment),
      ...meta('Release', view.release),
    ],
    countLine: [
      ...(view.level !== null ? [`Level: ${view.level}`] : []),
      ...(view.count !== undefined && String(view.count) !== '' ? [`Events: ${formatCount(view.count)}`] : []),
      ...(view.userCount ? [`Users: ${formatCount(view.userCount)}`] : []),
    ],
    seenLine: [
      ...(present(view.firstSeen) ? [`First seen: ${displayLine(formatTimestamp(view.firstSeen), fieldLimits.metaValue)}`] : []),
      ...(present(view.lastSeen) ? [`Last seen: ${displayLine(formatTimestamp(view.lastSeen), fieldLimits.metaValue)}`] : []),
    ],
    status: [statusLine(view), ...outcomeLines(view)].filter((line) => line !== undefined).join('\n') || undefined,
    stack: stackBlockText(view),
    tags: visibleTags
      .filter((tag) => present(tag.key))
      .map((tag) => `${displayLine(tag.key, fieldLimits.tagKey)}: ${displayLine(tag.value, fieldLimits.tagValue)}`),
    hiddenTagCount: Math.max(0, view.tags.length - visibleTags.length),
    investigation: present(view.investigation?.summary)
      ? { summary: displayValue(view.investigation.summary.trim(), fieldLimits.investigation), url: view.investigation.url }
      : undefined,
    issueUrl: view.issueUrl,
    runbook:
      view.runbook !== undefined && present(view.runbook.url)
        ? { title: displayLine(view.runbook.title, fieldLimits.runbookTitle), url: view.runbook.url }
        : undefined,
    moreIssues: moreIssuesOf(view),
  };
}

function moreIssuesOf(view: AlertView): AlertContent['moreIssues'] {
  const more = view.moreIssues;
  return more !== undefined && Number.isSafeInteger(more.count) && more.count > 0 ? { count: more.count, url: more.url } : undefined;
}

/** "12 min", "2 h 5 min", "40 s": how long an outage lasted, as people say it. */
export function formatOutage(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
