import { isRegression } from '@triage/alerts';
import { certainlyFiredBy, judgeAlertRules, type AlertRule, type RuleVerdict } from './alert-rules';

/**
 * What the catch-up poller does with each issue GlitchTip lists. The rules:
 * - First run (no baseline yet): record every listed issue silently. History is never replayed into the chat; only
 *   issues that appear or regress after the baseline alert.
 * - An unresolved issue Triage has never seen is a lost webhook only when one of its project's alert rules would have
 *   fired (alert-rules.ts), and once the webhook has had its grace period to arrive (GlitchTip evaluates alert rules
 *   every minute), counted from when the rule fired (at the latest: its last event, the first one for a one-event
 *   rule, or the poll that first judged it fired). Issues whose rules did not fire are left alone ('quiet'); younger ones wait. Neither is recorded, so they
 *   are judged again at the next poll. When the rules could not be read, a rule is assumed to have fired at the
 *   issue's first event (a page too many beats a lost one).
 * - An issue Triage knew as resolved or ignored that is unresolved again with more events is a regression.
 * - Everything else is recorded (status, count, last seen) and never re-alerted: an alerted issue whose state has
 *   not changed stays quiet.
 * - At most `maxAlerts` alerts per poll, oldest first; the rest wait for the next poll (not recorded).
 */
export interface PolledIssue {
  id: string;
  projectSlug?: string;
  status: 'unresolved' | 'resolved' | 'ignored';
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface KnownIssueState {
  status: string;
  eventCount: number;
}

export type PollAction = 'alert-lost' | 'alert-regression' | 'record' | 'wait' | 'quiet';

export interface PollDecision<T extends PolledIssue = PolledIssue> {
  issue: T;
  action: PollAction;
  /** For an issue Triage did not know: what its project's alert rules say (undefined: rules unknown). */
  verdict?: RuleVerdict;
}

export interface PollRules {
  baselineDone: boolean;
  now: number;
  graceMs: number;
  maxAlerts: number;
  /** The start of the look-back window (ms): rules firing before it are history. Default: now - 15 min. */
  since?: number;
  /** Project slug -> its alert rules; a project missing here had rules that could not be read. */
  alertRules?: ReadonlyMap<string, readonly AlertRule[]>;
  /** Issue id -> events per hour (issues-stats), when read. */
  hourly?: ReadonlyMap<string, ReadonlyArray<readonly [number, number]>>;
  /** Issue id -> when a poll first judged its rule fired (ms). */
  firstJudgedFiredAt?: ReadonlyMap<string, number>;
}

export function decidePollActions<T extends PolledIssue>(issues: T[], known: ReadonlyMap<string, KnownIssueState>, rules: PollRules): Array<PollDecision<T>> {
  const decided = issues.map((issue): PollDecision<T> => ({ issue, ...classify(issue, known.get(issue.id), rules) }));
  const alerts = decided
    .filter((decision) => decision.action === 'alert-lost' || decision.action === 'alert-regression')
    .sort((a, b) => Date.parse(a.issue.lastSeen) - Date.parse(b.issue.lastSeen));
  for (const deferred of alerts.slice(rules.maxAlerts)) deferred.action = 'wait';
  return decided;
}

function classify(issue: PolledIssue, state: KnownIssueState | undefined, rules: PollRules): { action: PollAction; verdict?: RuleVerdict } {
  if (!rules.baselineDone) return { action: 'record' };
  if (state) return { action: isRegression(state, issue.status, issue.count) ? 'alert-regression' : 'record' };
  if (issue.status !== 'unresolved') return { action: 'record' };
  const projectRules = issue.projectSlug === undefined ? undefined : rules.alertRules?.get(issue.projectSlug);
  if (projectRules === undefined) {
    return { action: rules.now - Date.parse(issue.firstSeen) >= rules.graceMs ? 'alert-lost' : 'wait' };
  }
  const since = rules.since ?? rules.now - 15 * 60_000;
  const verdict = judgeAlertRules(projectRules, { ...issue, hourly: rules.hourly?.get(issue.id) }, since);
  if (verdict === 'no-rule' || verdict === 'not-fired') return { action: 'quiet', verdict };
  const firedBy = Math.min(
    Date.parse(issue.lastSeen),
    certainlyFiredBy(projectRules, issue) ?? Infinity,
    rules.firstJudgedFiredAt?.get(issue.id) ?? Infinity,
  );
  return { action: rules.now - firedBy >= rules.graceMs ? 'alert-lost' : 'wait', verdict };
}
