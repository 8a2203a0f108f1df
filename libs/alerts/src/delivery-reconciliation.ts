import type { AlertTransition } from './alert-state';

/** A place an alert must reach: a chat and the forum topic its route names (0: none). */
export interface DeliveryTarget {
  chatId: string;
  routeThreadId: number;
}

export interface MessageRowFacts {
  chatId: string;
  routeThreadId: number;
  generation: number;
  status: string;
  createdAt: Date;
}

/** Message states in which people have seen the alert (alert-messages' deliveredStatuses, minus superseded ones). */
const shownStatuses = new Set(['sent', 'digest', 'superseded']);
/** Transitions that open a new message of their own (a reply to the previous one). */
const opensMessage = new Set<AlertTransition>(['regression', 'realert', 'outage']);

/**
 * The targets an alert has not reached since its latest notifying transition: no message there, its newest message
 * not shown (pending, failed, unknown...), or, for a regression / realert / outage, no message opened since then.
 */
export function undeliveredTargets(
  alert: { transition: AlertTransition; transitionAt: Date },
  targets: DeliveryTarget[],
  rows: MessageRowFacts[],
): DeliveryTarget[] {
  return targets.filter((target) => {
    const here = rows.filter((row) => row.chatId === target.chatId && row.routeThreadId === target.routeThreadId);
    const newest = here.reduce<MessageRowFacts | undefined>((best, row) => (!best || row.generation > best.generation ? row : best), undefined);
    if (!newest || !shownStatuses.has(newest.status)) return true;
    return opensMessage.has(alert.transition) && newest.createdAt.getTime() < alert.transitionAt.getTime();
  });
}

export type ReconcileAction = 'delivered' | 'redrive' | 'stuck' | 'waiting';

/**
 * What the reconciler does with an undelivered alert: re-drive its send once, then (still undelivered a while after)
 * count it as stuck for the ops alert; a re-drive still within its grace is left to finish.
 */
export function reconcileAction(undelivered: boolean, redrivenAt: Date | null, now: Date, graceMs: number): ReconcileAction {
  if (!undelivered) return 'delivered';
  if (!redrivenAt) return 'redrive';
  return now.getTime() - redrivenAt.getTime() >= graceMs ? 'stuck' : 'waiting';
}
