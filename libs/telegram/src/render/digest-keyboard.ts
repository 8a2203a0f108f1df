import { encodeCallback, encodeMessageCallback } from '@triage/contracts';
import type { AlertKeyboardButton, AlertKeyboardMarkup } from './alert-keyboard';
import { safeHref } from './message-fragments';

/** Telegram refuses a keyboard of more than 100 buttons (REPLY_MARKUP_TOO_LONG). */
export const maxKeyboardButtons = 100;
/** Buttons in one digest row: the issue's number, Investigate, Resolve, Mute 1h. */
const buttonsPerIssue = 4;
/** The hours of the digest's Mute buttons. */
export const digestMuteHours = 1;
/** Rows that fit beside the "Mute all" button. */
export const maxDigestIssueRows = Math.floor((maxKeyboardButtons - 1) / buttonsPerIssue);

export interface DigestKeyboardItem {
  issueId: string;
  /** What the number button says: the short id (BACKEND-12) or the id. */
  label: string;
  issueUrl: string;
}

export interface DigestKeyboard {
  markup: AlertKeyboardMarkup | undefined;
  /** Issues with a row of their own, in order. */
  withRows: string[];
  /** The others: "Mute all 1h" mutes these. */
  rest: string[];
}

const actionable = (issueId: string) => /^[1-9]\d{0,19}$/.test(issueId);

/**
 * A row per issue while Telegram's keyboard limit allows (its number as a link, Investigate, Resolve, Mute 1h), then
 * one "Mute all 1h" for every issue without a row (the ones beyond the limit and those the text could not list).
 * Uptime monitors have no issue actions and get no row.
 */
export function buildDigestKeyboard(items: DigestKeyboardItem[], maxRows = maxDigestIssueRows): DigestKeyboard {
  const issues = items.filter((item) => actionable(item.issueId));
  const withRows = issues.slice(0, maxRows);
  const rest = issues.slice(maxRows).map((item) => item.issueId);
  const rows: AlertKeyboardButton[][] = withRows.map(({ issueId, label, issueUrl }) => {
    const href = safeHref(issueUrl);
    const number: AlertKeyboardButton = href === null ? { text: label, callback_data: encodeCallback({ action: 'investigate', issueId }) } : { text: label, url: href };
    return [
      number,
      { text: '🔎 Investigate', callback_data: encodeCallback({ action: 'investigate', issueId }) },
      { text: '✅ Resolve', callback_data: encodeCallback({ action: 'resolve', issueId }) },
      { text: `🔕 Mute ${digestMuteHours}h`, callback_data: encodeCallback({ action: 'mute', issueId, hours: digestMuteHours }) },
    ];
  });
  if (rest.length > 0) {
    rows.push([{ text: `🔕 Mute all ${digestMuteHours}h (the other ${rest.length})`, callback_data: encodeMessageCallback({ action: 'mute-rest', hours: digestMuteHours }) }]);
  }
  return { markup: rows.length > 0 ? { inline_keyboard: rows } : undefined, withRows: withRows.map((item) => item.issueId), rest };
}
