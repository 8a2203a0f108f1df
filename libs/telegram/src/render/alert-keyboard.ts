import { encodeCallback } from '@triage/contracts';
import type { IssueState } from './alert-view';
import { safeHref } from './message-fragments';

/** The two kinds of InlineKeyboardButton alerts use, as the Bot API takes them. */
export type AlertKeyboardButton = { text: string; callback_data: string } | { text: string; url: string };
export interface AlertKeyboardMarkup {
  inline_keyboard: AlertKeyboardButton[][];
}

export interface AlertKeyboardInput {
  issueId: string;
  issueUrl: string;
  runbookUrl?: string;
  state: IssueState;
  /**
   * The current alert episode's acknowledgement (libs/outcomes): `by: null` offers Acknowledge on an open alert; once
   * someone acknowledged, the message says who and the button goes. Unset: no episode is known, no button.
   */
  acknowledgement?: { by: string | null };
}

export const muteHourChoices = [1, 4, 24] as const;

/**
 * Buttons offer what makes sense from the current state: Reopen instead of Resolve once resolved, Stop ignoring once
 * ignored, Unmute once muted; Mute only for an issue that is open and loud. URL buttons are left out when Telegram
 * would reject them (not http(s), or a host without a dot).
 */
export function buildAlertKeyboard(input: AlertKeyboardInput): AlertKeyboardMarkup {
  const { issueId, state } = input;
  const button = (text: string, data: Parameters<typeof encodeCallback>[0]): AlertKeyboardButton => ({
    text,
    callback_data: encodeCallback(data),
  });
  const investigate = button('🔎 Investigate', { action: 'investigate', issueId });
  const resolve = button('✅ Resolve', { action: 'resolve', issueId });
  const ignore = button('🙈 Ignore', { action: 'ignore', issueId });
  const muteRow = muteHourChoices.map((hours) => button(`🔕 Mute ${hours}h`, { action: 'mute', issueId, hours }));

  const rows: AlertKeyboardButton[][] = [];
  switch (state) {
    case 'resolved':
      rows.push([investigate, button('↩️ Reopen', { action: 'reopen', issueId })]);
      break;
    case 'ignored':
      rows.push([investigate, resolve, button('↩️ Stop ignoring', { action: 'reopen', issueId })]);
      break;
    case 'muted':
      rows.push([investigate, resolve, ignore], [button('🔔 Unmute', { action: 'unmute', issueId })]);
      break;
    case 'unresolved':
    case 'regressed': {
      const offerAcknowledge = input.acknowledgement !== undefined && input.acknowledgement.by === null;
      rows.push(offerAcknowledge ? [button('👀 Acknowledge', { action: 'acknowledge', issueId }), investigate, resolve, ignore] : [investigate, resolve, ignore], muteRow);
      break;
    }
  }

  const issueHref = safeHref(input.issueUrl);
  const runbookHref = input.runbookUrl === undefined ? null : safeHref(input.runbookUrl);
  const links: AlertKeyboardButton[] = [
    ...(issueHref === null ? [] : [{ text: '🔗 Open issue', url: issueHref }]),
    ...(runbookHref === null ? [] : [{ text: '📖 Runbook', url: runbookHref }]),
  ];
  if (links.length > 0) rows.push(links);
  return { inline_keyboard: rows };
}
