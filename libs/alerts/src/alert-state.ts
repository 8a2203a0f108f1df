import type { alerts, issueStates } from '@triage/db';

/**
 * The states and transitions of an alert, as TS unions. `alerts.state` is what people did in Triage (or GlitchTip's
 * own resolve, seen by the poller); `issue_states.status` is what GlitchTip last said.
 */
export const alertStates = ['open', 'resolved', 'ignored', 'muted'] as const;
export type AlertState = (typeof alertStates)[number];

export const issueStatuses = ['unresolved', 'resolved', 'ignored'] as const;
export type IssueStatus = (typeof issueStatuses)[number];

/**
 * What one recorded signal changed; the send-alert reason of the same name says how it is shown:
 * - `new`: the first alert of an issue or monitor (or the first since the alerts were switched off);
 * - `repeat`: more of the same state;
 * - `regression`: GlitchTip says a resolved issue came back;
 * - `realert`: an issue alerts again after someone resolved, ignored or muted it (the mute has ended);
 * - `outage`: a monitor went down again after it had recovered;
 * - `recovery`: a monitor is back up after being down.
 */
export const alertTransitions = ['new', 'repeat', 'regression', 'realert', 'outage', 'recovery'] as const;
export type AlertTransition = (typeof alertTransitions)[number];

/** Transitions that owe people a new message (one that notifies), as opposed to an edit in place. */
export function notifies(transition: AlertTransition): boolean {
  return transition !== 'repeat';
}

export function isAlertState(value: string): value is AlertState {
  return (alertStates as readonly string[]).includes(value);
}

export function isAlertTransition(value: string | null): value is AlertTransition {
  return value !== null && (alertTransitions as readonly string[]).includes(value);
}

/** The alert state a GlitchTip status maps to when someone changes it (unresolved reopens). */
export const alertStateOfStatus: Record<IssueStatus, AlertState> = { unresolved: 'open', resolved: 'resolved', ignored: 'ignored' };

/** The schema's column types spell these unions out (libs/db cannot import this lib): a drift fails to compile here. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const columnsAgree: [
  Same<NonNullable<(typeof alerts.$inferSelect)['state']>, AlertState>,
  Same<NonNullable<(typeof alerts.$inferSelect)['lastTransition']>, AlertTransition>,
  Same<(typeof issueStates.$inferSelect)['status'], IssueStatus>,
] = [true, true, true];
void columnsAgree;
