import { encodeBulkCallback, type BulkAction } from '@triage/contracts';
import { scrubPii } from '@triage/pii';
import { escapeHtml, truncateText, type InlineKeyboardMarkup } from '@triage/telegram';
import type { ApplyOutcome } from './apply-bulk';
import type { BulkOperation, BulkTarget } from './bulk-state';

const shownTitles = 10;
const verb: Record<BulkAction, { now: string; done: string }> = { resolve: { now: 'Resolve', done: 'Resolved' }, ignore: { now: 'Ignore', done: 'Ignored' } };

/** The preview message: how many issues, the first titles (PII-scrubbed, escaped), and what Confirm will do. */
export function renderBulkPreview(operation: BulkOperation, targets: BulkTarget[]): { html: string; keyboard: InlineKeyboardMarkup } {
  const lines = [
    `<b>${verb[operation.action].now} ${targets.length} issue${targets.length === 1 ? '' : 's'}?</b>`,
    `Query: <code>${escapeHtml(operation.query)}</code>`,
    ...targets.slice(0, shownTitles).map((target) => `• #${escapeHtml(target.issueId)} ${escapeHtml(truncateText(scrubPii(target.title), 80))}`),
    ...(targets.length > shownTitles ? [`… and ${targets.length - shownTitles} more`] : []),
    '',
    `Every issue's current status is backed up first (backup <code>${escapeHtml(operation.id)}</code>). Confirm within 10 minutes; only the person who asked can.`,
  ];
  return {
    html: lines.join('\n'),
    keyboard: {
      inline_keyboard: [
        [
          { text: `✅ Confirm: ${verb[operation.action].now.toLowerCase()} ${targets.length}`, callback_data: encodeBulkCallback('confirm', operation.id) },
          { text: '✖️ Cancel', callback_data: encodeBulkCallback('cancel', operation.id) },
        ],
      ],
    },
  };
}

/** The answer to a Confirm press. */
export function renderApplyOutcome(outcome: ApplyOutcome): string {
  switch (outcome.kind) {
    case 'not-found':
      return 'This bulk preview no longer exists. Send /bulk again.';
    case 'expired':
      return `This preview expired (previews hold 10 minutes). Send /bulk again to see what the query matches now.`;
    case 'not-requester':
      return 'Only the person who asked for this bulk action can confirm it.';
    case 'not-pending':
      return `Bulk action <code>${escapeHtml(outcome.operation.id)}</code> is already ${escapeHtml(outcome.operation.state)}.`;
    case 'applied': {
      const undo = `Undo: <code>triage bulk restore ${escapeHtml(outcome.operation.id)}</code>`;
      const what = outcome.dryRun ? `DRY_RUN: would have ${verb[outcome.operation.action].done.toLowerCase()}` : verb[outcome.operation.action].done;
      return `✅ ${what} ${outcome.written} issue${outcome.written === 1 ? '' : 's'}${outcome.skipped > 0 ? ` (${outcome.skipped} already so or gone)` : ''}. ${undo}`;
    }
    case 'failed':
      return outcome.backupFile
        ? `⚠️ Stopped after ${outcome.written} issue(s): ${escapeHtml(outcome.error)}\nThe backup is complete: <code>triage bulk restore ${escapeHtml(outcome.operation.id)}</code> puts every issue back.`
        : `⚠️ ${escapeHtml(outcome.error)}`;
  }
}
