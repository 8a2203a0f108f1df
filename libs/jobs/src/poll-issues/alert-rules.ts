/**
 * Would GlitchTip have sent a webhook for this issue? Its alert task (every ALERT_NOTIFICATION_INTERVAL, 60 s) fires a
 * project alert rule for an issue with at least `quantity` events within the last `timespanMinutes`, and only rules
 * with both set are evaluated; a project without such a rule sends nothing (CONTRACT §1.2). The poller calls a
 * webhook lost only when a rule would have fired, so a team whose rule says "10 events in 5 minutes" is not paged for
 * an issue with 2.
 *
 * The issue list gives the total count, first and last seen; issues-stats adds events per hour. From those:
 * - fewer events in all than the rule's quantity: it never fired;
 * - all of them within one timespan (last seen - first seen): it fired by the last one;
 * - fewer events in the hours the recent windows touch than the quantity: it did not fire lately;
 * - otherwise it may have fired: treated as fired (a page too many beats a lost one).
 */

export interface AlertRule {
  quantity: number | null;
  timespanMinutes: number | null;
}

export interface IssueActivity {
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** [start of hour in unix seconds, events in that hour], when issues-stats answered. */
  hourly?: ReadonlyArray<readonly [number, number]>;
}

export type RuleVerdict = 'fired' | 'maybe' | 'not-fired' | 'no-rule';

/** `since`: the earliest end of a window worth judging (ms); older firings are history, not a lost webhook. */
export function judgeAlertRules(rules: readonly AlertRule[], issue: IssueActivity, since: number): RuleVerdict {
  const evaluable = rules.filter(
    (rule): rule is { quantity: number; timespanMinutes: number } =>
      rule.quantity !== null && rule.quantity > 0 && rule.timespanMinutes !== null && rule.timespanMinutes > 0,
  );
  if (evaluable.length === 0) return 'no-rule';
  const verdicts = evaluable.map((rule) => judgeOne(rule, issue, since));
  if (verdicts.includes('fired')) return 'fired';
  return verdicts.includes('maybe') ? 'maybe' : 'not-fired';
}

function judgeOne(rule: { quantity: number; timespanMinutes: number }, issue: IssueActivity, since: number): 'fired' | 'maybe' | 'not-fired' {
  if (issue.count < rule.quantity) return 'not-fired';
  // One event is always within one window.
  if (rule.quantity === 1) return 'fired';
  const timespanMs = rule.timespanMinutes * 60_000;
  if (Date.parse(issue.lastSeen) - Date.parse(issue.firstSeen) <= timespanMs) return 'fired';
  if (issue.hourly) {
    // Every window that ends at or after `since` starts at or after since - timespan: count the hours it can touch.
    const earliestStartSeconds = (since - timespanMs) / 1000;
    const recentEvents = issue.hourly.filter(([hour]) => hour + 3600 > earliestStartSeconds).reduce((sum, [, events]) => sum + events, 0);
    if (recentEvents < rule.quantity) return 'not-fired';
  }
  return 'maybe';
}

/**
 * The latest time a rule certainly fired by, when the figures pin it down better than the last event: a rule of one
 * event fires at the first one. Undefined when only the last event (or a poll) can bound it.
 */
export function certainlyFiredBy(rules: readonly AlertRule[], issue: IssueActivity): number | undefined {
  const oneEvent = rules.some((rule) => rule.quantity === 1 && rule.timespanMinutes !== null && rule.timespanMinutes > 0);
  return oneEvent && issue.count >= 1 ? Date.parse(issue.firstSeen) : undefined;
}
