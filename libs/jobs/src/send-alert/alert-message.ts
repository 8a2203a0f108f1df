import crypto from 'node:crypto';
import { buildAlertKeyboard, escapeHtml, renderAlert, safeHref, type AlertView, type InlineKeyboardMarkup } from '@triage/telegram';
import type { OutgoingMessage } from '@triage/delivery';

export interface RenderedAlertMessage extends OutgoingMessage {
  /** Of the HTML and the buttons: an edit whose hash equals alert_messages.rendered_hash is not sent. */
  hash: string;
}

/** A link button, only for a URL Telegram accepts (the same rule as links in the text: http(s), a host with a dot). */
function linkKeyboard(view: AlertView): InlineKeyboardMarkup | undefined {
  const url = safeHref(view.issueUrl);
  if (url === null) return undefined;
  return { inline_keyboard: [[{ text: view.kind === 'uptime' ? '🔗 Open monitor' : '🔗 Open issue', url }]] };
}

/** Buttons act on GlitchTip issues (numeric ids); an uptime monitor only gets its link. */
function keyboardFor(view: AlertView): InlineKeyboardMarkup | undefined {
  if (/^[1-9]\d{0,19}$/.test(view.issueId)) {
    return buildAlertKeyboard({
      issueId: view.issueId,
      issueUrl: view.issueUrl,
      runbookUrl: view.runbook?.url,
      state: view.status?.state ?? 'unresolved',
      // Acknowledge is offered once the alert has an episode (libs/outcomes), until someone acknowledged it.
      ...(view.outcome ? { acknowledgement: { by: view.outcome.acknowledgedBy ?? null } } : {}),
    });
  }
  return linkKeyboard(view);
}

function hashOf(html: string, keyboard: InlineKeyboardMarkup | undefined): string {
  return crypto.createHash('sha256').update(html).update('\0').update(JSON.stringify(keyboard ?? null)).digest('hex').slice(0, 32);
}

/** A first line above the alert (a possible repeat, a pointer to a newer message), within Telegram's limit. */
function withHeadline(view: AlertView, headline: { html: string; plain: string }, keyboard: InlineKeyboardMarkup | undefined): RenderedAlertMessage {
  const room = (maxLength: number) => maxLength - headline.plain.length - 2;
  const build = (maxLength: number) => {
    const rendered = renderAlert(view, { maxLength: room(maxLength) });
    return { html: `${headline.html}\n\n${rendered.html}`, plainText: `${headline.plain}\n\n${rendered.plainText}` };
  };
  const full = build(4096);
  return { ...full, keyboard, hash: hashOf(full.html, keyboard), rerender: build };
}

export function renderAlertMessage(view: AlertView): RenderedAlertMessage {
  const rendered = renderAlert(view);
  const keyboard = keyboardFor(view);
  return {
    html: rendered.html,
    plainText: rendered.plainText,
    keyboard,
    hash: hashOf(rendered.html, keyboard),
    rerender: (maxLength) => {
      const shorter = renderAlert(view, { maxLength });
      return { html: shorter.html, plainText: shorter.plainText };
    },
  };
}

export const possibleRepeatText = '(possible repeat)';

/**
 * The alert sent again after an unknown outcome (a worker killed mid-send, a lost answer): it says it may be a second
 * copy, so nobody counts it as a new incident.
 */
export function renderPossibleRepeat(view: AlertView): RenderedAlertMessage {
  const line = `🔁 ${possibleRepeatText}`;
  return withHeadline(view, { html: `<i>${escapeHtml(line)}</i>`, plain: line }, keyboardFor(view));
}

const pointerLabels: Record<string, string> = {
  regression: 'regressed',
  realert: 'alerted again',
  outage: 'down again',
  new: 'alerted again',
};

/** The earlier message, edited to point to the newer one (its buttons move there; only the link stays). */
export function renderPointer(view: AlertView, openedFor: string | null): RenderedAlertMessage {
  const line = `⤵ ${pointerLabels[openedFor ?? 'new'] ?? 'alerted again'}: see the newer message`;
  return withHeadline(view, { html: `<b>${escapeHtml(line)}</b>`, plain: line }, linkKeyboard(view));
}
