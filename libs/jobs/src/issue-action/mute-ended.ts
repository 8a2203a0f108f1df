import { renderMuteEnded, type AlertView } from '@triage/telegram';
import { alertViewFromSnapshot, type AlertRow } from '@triage/delivery';

/**
 * The "🔔 Mute ended" message for an alert row. Only the headline, counts and link are shown, so a row whose snapshot
 * does not parse (created by a mute before the first alert) still gives a usable message from its columns.
 */
export function renderMuteEndedFor(row: AlertRow): string {
  const view: AlertView = alertViewFromSnapshot(row)?.view ?? { kind: 'issue', issueId: row.issueId, title: row.title, level: null, tags: [], issueUrl: '' };
  return renderMuteEnded(view).html;
}
