/**
 * What the catch-up poller does with each issue GlitchTip lists. The rules:
 * - First run (no baseline yet): record every listed issue silently. History is never replayed into the chat; only
 *   issues that appear or regress after the baseline alert.
 * - An unresolved issue Triage has never seen is a lost webhook, once it is older than the grace period (GlitchTip
 *   evaluates alert rules every minute; the webhook gets that long to arrive first). Younger ones are left for the
 *   next poll and not recorded, so they are judged again.
 * - An issue Triage knew as resolved or ignored that is unresolved again with more events is a regression.
 * - Everything else is recorded (status, count, last seen) and never re-alerted: an alerted issue whose state has
 *   not changed stays quiet.
 * - At most `maxAlerts` alerts per poll, oldest first; the rest wait for the next poll (not recorded).
 */
export interface PolledIssue {
  id: string;
  status: 'unresolved' | 'resolved' | 'ignored';
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface KnownIssueState {
  status: string;
  eventCount: number;
}

export type PollAction = 'alert-lost' | 'alert-regression' | 'record' | 'wait';

export interface PollDecision<T extends PolledIssue = PolledIssue> {
  issue: T;
  action: PollAction;
}

export interface PollRules {
  baselineDone: boolean;
  now: number;
  graceMs: number;
  maxAlerts: number;
}

export function decidePollActions<T extends PolledIssue>(issues: T[], known: ReadonlyMap<string, KnownIssueState>, rules: PollRules): Array<PollDecision<T>> {
  const decided = issues.map((issue): PollDecision<T> => ({ issue, action: classify(issue, known.get(issue.id), rules) }));
  const alerts = decided
    .filter((decision) => decision.action === 'alert-lost' || decision.action === 'alert-regression')
    .sort((a, b) => Date.parse(a.issue.lastSeen) - Date.parse(b.issue.lastSeen));
  for (const deferred of alerts.slice(rules.maxAlerts)) deferred.action = 'wait';
  return decided;
}

function classify(issue: PolledIssue, state: KnownIssueState | undefined, rules: PollRules): PollAction {
  if (!rules.baselineDone) return 'record';
  if (!state) {
    if (issue.status !== 'unresolved') return 'record';
    return rules.now - Date.parse(issue.firstSeen) >= rules.graceMs ? 'alert-lost' : 'wait';
  }
  return isRegression(state, issue.status, issue.count) ? 'alert-regression' : 'record';
}

/**
 * Closed (resolved or ignored) as far as Triage knew, unresolved now, with events since. Without a count (no API:
 * the webhook alone) GlitchTip's alert itself says there were new events.
 */
export function isRegression(state: KnownIssueState | undefined, status: string, count: number | undefined): boolean {
  if (!state || (state.status !== 'resolved' && state.status !== 'ignored')) return false;
  return status === 'unresolved' && (count === undefined || count > state.eventCount);
}
