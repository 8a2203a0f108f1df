/** What Triage last knew of a GlitchTip issue (issue_states). */
export interface KnownIssueState {
  status: string;
  eventCount: number;
}

/**
 * Closed (resolved or ignored) as far as Triage knew, unresolved now, with events since. Without a count (no API:
 * the webhook alone) GlitchTip's alert itself says there were new events. The one regression rule, for the poller
 * and for process-alert.
 */
export function isRegression(state: KnownIssueState | undefined, status: string, count: number | undefined): boolean {
  if (!state || (state.status !== 'resolved' && state.status !== 'ignored')) return false;
  return status === 'unresolved' && (count === undefined || count > state.eventCount);
}
