import type { OpsAlertPayload } from '@triage/contracts';
import { escapeHtml, escapeHtmlAttribute } from '@triage/telegram';

/** Telegram refuses http(s) links whose host has no dot (localhost, a Docker service name): those stay plain text. */
function linkable(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname.includes('.');
  } catch {
    return false;
  }
}

/** The ops chat's message: what broke, the error, when, and where to look. */
export function renderOpsAlert(payload: OpsAlertPayload): string {
  const lines = [`⚠️ <b>Triage: ${escapeHtml(payload.title)}</b>`];
  if (payload.details.trim() !== '') lines.push(`<pre>${escapeHtml(payload.details.trim())}</pre>`);
  lines.push(`at ${escapeHtml(payload.raisedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}`);
  if (payload.link) {
    lines.push(linkable(payload.link) ? `<a href="${escapeHtmlAttribute(payload.link)}">Open in Bull Board</a>` : `Look: ${escapeHtml(payload.link)}`);
  }
  if (payload.throttleSeconds > 0) {
    lines.push(`<i>Further alerts of this kind are held for ${Math.round(payload.throttleSeconds / 60)} min.</i>`);
  }
  return lines.join('\n');
}
