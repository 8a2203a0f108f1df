import type { RunbookMatch } from './match-runbooks';

/** A mark in the comment text that finds it again (a retried job, a lost answer) whatever else people edit. */
export function commentMarker(runbookName: string): string {
  return `[triage-runbook:${runbookName}]`;
}

export function isRunbookComment(text: string, runbookName: string): boolean {
  return text.includes(commentMarker(runbookName));
}

/** The GlitchTip comment: the runbook, its link, why it matched. */
export function runbookCommentText(match: RunbookMatch, url: string): string {
  return [`📖 Runbook: ${match.runbook.title}`, url, '', `Why: ${match.why.join('; ')}`, '', `Linked by Triage ${commentMarker(match.runbook.name)}`].join('\n');
}
