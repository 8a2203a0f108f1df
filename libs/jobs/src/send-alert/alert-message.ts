import crypto from 'node:crypto';
import { buildAlertKeyboard, renderAlert, type AlertView, type InlineKeyboardMarkup } from '@triage/telegram';
import type { OutgoingMessage } from './telegram-writes';

export interface RenderedAlertMessage extends OutgoingMessage {
  /** Of the HTML and the buttons: an edit whose hash equals alert_messages.rendered_hash is not sent. */
  hash: string;
}

/** Buttons act on GlitchTip issues (numeric ids); an uptime monitor only gets its link. */
function keyboardFor(view: AlertView): InlineKeyboardMarkup | undefined {
  if (/^[1-9]\d{0,19}$/.test(view.issueId)) {
    return buildAlertKeyboard({ issueId: view.issueId, issueUrl: view.issueUrl, runbookUrl: view.runbook?.url, state: view.status?.state ?? 'unresolved' });
  }
  if (!/^https?:\/\//i.test(view.issueUrl)) return undefined;
  return { inline_keyboard: [[{ text: view.kind === 'uptime' ? '🔗 Open monitor' : '🔗 Open issue', url: view.issueUrl }]] };
}

export function renderAlertMessage(view: AlertView): RenderedAlertMessage {
  const rendered = renderAlert(view);
  const keyboard = keyboardFor(view);
  const hash = crypto.createHash('sha256').update(rendered.html).update('\0').update(JSON.stringify(keyboard ?? null)).digest('hex').slice(0, 32);
  return {
    html: rendered.html,
    plainText: rendered.plainText,
    keyboard,
    hash,
    rerender: (maxLength) => {
      const shorter = renderAlert(view, { maxLength });
      return { html: shorter.html, plainText: shorter.plainText };
    },
  };
}
