import type { AlertSignal } from './alert-signal';
import { levelHintFromColour, uptimeWentDown } from './alert-hints';
import { parseAlertLink } from './alert-link';
import { textOrNull, WebhookRejection } from './body-shape';

/** One issue or monitor as any of the three body formats describes it, before it becomes an AlertSignal. */
export interface AlertItem {
  /** Where in the body it came from, for rejection reasons: 'attachments[1]'. */
  where: string;
  link: unknown;
  title: unknown;
  /** Issue: the culprit. Uptime: the "has gone down" / "is back up" sentence. */
  text: unknown;
  colour: unknown;
  fields: Array<{ title: unknown; value: unknown }>;
  shortId: string | null;
  /** Google Chat puts the project in the card header rather than in a field. */
  project?: string | null;
}

const titleLimit = 2_000;

export function signalFromItem(item: AlertItem): AlertSignal {
  const link = textOrNull(item.link);
  if (link === null) throw new WebhookRejection(`${item.where} has no link to a GlitchTip issue or uptime monitor`);
  const target = parseAlertLink(link.trim());
  if ('problem' in target) throw new WebhookRejection(`${item.where}: link ${target.problem}`);

  const title = textOrNull(item.title);
  let signal: AlertSignal;
  if (target.kind === 'uptime') {
    const message = textOrNull(item.text) ?? '';
    signal = {
      kind: 'uptime',
      monitorId: target.monitorId,
      name: clip(title ?? `Monitor ${target.monitorId}`),
      url: target.url,
      orgSlug: target.orgSlug,
      down: uptimeWentDown(message),
      message,
    };
  } else {
    const known = issueFieldsByTitle(item.fields);
    const culprit = textOrNull(item.text);
    signal = {
      kind: 'issue',
      issueId: target.issueId,
      // GlitchTip always sends a title; a blank one should still not cost the alert.
      title: clip(title ?? `Issue ${target.issueId}`),
      culprit: culprit === null ? null : clip(culprit),
      url: target.url,
      orgSlug: target.orgSlug,
      levelHint: levelHintFromColour(item.colour),
      project: item.project ?? known.project,
      environment: known.environment,
      release: known.release,
      serverName: known.serverName,
      shortId: item.shortId,
      extraTags: known.extraTags,
    };
  }
  // Not parsed against alertSignalSchema here: every signal is enqueued, and the Producer validates each payload
  // against the job contract (which extends that schema) and refuses it with the reason. Checking here too cost the
  // ingress a second schema walk per alert; what the readers build already holds (numeric ids from the link pattern,
  // an http(s) URL that parsed, clipped titles).
  return signal;
}

type KnownField = 'project' | 'environment' | 'serverName' | 'release';

// Generic and Google Chat say "Server Name", Discord "Server name".
const knownFieldTitles = new Map<string, KnownField>([
  ['project', 'project'],
  ['environment', 'environment'],
  ['server name', 'serverName'],
  ['release', 'release'],
]);

export interface IssueFields extends Record<KnownField, string | null> {
  /** Every other field: the recipient's tags_to_add, keyed by the title GlitchTip gave it ("Customer"). */
  extraTags: Record<string, string>;
}

export function issueFieldsByTitle(fields: Array<{ title: unknown; value: unknown }>): IssueFields {
  const result: IssueFields = { project: null, environment: null, serverName: null, release: null, extraTags: {} };
  for (const field of fields) {
    const title = textOrNull(field.title)?.trim();
    const value = textOrNull(field.value);
    if (title === undefined || value === null) continue;
    const known = knownFieldTitles.get(title.toLowerCase());
    if (known) result[known] ??= value;
    else result.extraTags[title] = value;
  }
  return result;
}

function clip(text: string): string {
  // Never keep half of a surrogate pair: the cut text goes to Telegram, which refuses what is not valid UTF-8.
  return text.length > titleLimit ? `${text.slice(0, titleLimit - 1).replace(/[\uD800-\uDBFF]$/, '')}…` : text;
}
