/** What a GlitchTip alert link points at: `{base}/{org}/issues/{id}` or `{base}/{org}/uptime-monitors/{id}`. */
export type AlertLinkTarget =
  | { kind: 'issue'; issueId: string; orgSlug: string | null; url: string }
  | { kind: 'uptime'; monitorId: string; orgSlug: string | null; url: string };

// Anchored at the end of the path so a GlitchTip served under a base path (https://host/glitchtip/acme/issues/1) works.
const issuePath = /(?:^|\/)(?:([^/]+)\/)?issues\/(\d+)\/?$/;
const monitorPath = /(?:^|\/)(?:([^/]+)\/)?uptime-monitors\/(\d+)\/?$/;

/** Returns the target, or a sentence saying why the link is not a GlitchTip issue or monitor link. */
export function parseAlertLink(link: string): AlertLinkTarget | { problem: string } {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { problem: `"${clip(link)}" is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `"${clip(link)}" is not an http(s) URL` };
  const issue = issuePath.exec(url.pathname);
  if (issue) return { kind: 'issue', issueId: issue[2]!, orgSlug: decodeSegment(issue[1]), url: link };
  const monitor = monitorPath.exec(url.pathname);
  if (monitor) return { kind: 'uptime', monitorId: monitor[2]!, orgSlug: decodeSegment(monitor[1]), url: link };
  return { problem: `"${clip(link)}" names neither an issue (/{org}/issues/{id}) nor an uptime monitor (/{org}/uptime-monitors/{id})` };
}

function decodeSegment(segment: string | undefined): string | null {
  if (segment === undefined || segment === '') return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
