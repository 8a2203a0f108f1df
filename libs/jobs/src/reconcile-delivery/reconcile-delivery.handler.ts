import {
  alertsAwaitingDelivery,
  isAlertTransition,
  markRedriven,
  messageRowsOf,
  reconcileAction,
  undeliveredTargets,
  type AlertRow,
  type AlertTransition,
  type DeliveredMessageRow,
} from '@triage/alerts';
import { routeFactsOf, alertViewFromSnapshot } from '@triage/delivery';
import { appKey, safeJobId } from '@triage/queue';
import { routeAlert } from '@triage/telegram';
import { defineHandler } from '@triage/worker-runtime';
import { opsAlert, reconcileDelivery, sendAlert, undeliveredAlertsKey } from '@triage/contracts';
import type { WorkerDeps } from '../worker-deps';

/** Alerts read per page; a run reads every page of the lookback window. */
const BATCH = 500;
const OPS_ALERT_EVERY_SECONDS = 3600;

function opsAlertedKey(prefix: string): string {
  return appKey(prefix, 'delivery', 'undelivered-ops-alert');
}

type Verdict = { row: AlertRow; transition: AlertTransition; action: ReturnType<typeof reconcileAction> };

function judge(rows: AlertRow[], messages: DeliveredMessageRow[], deps: WorkerDeps, now: Date, graceMs: number): Verdict[] {
  return rows.flatMap((row) => {
    const rendered = alertViewFromSnapshot(row);
    const transition = row.notifyingTransition;
    if (!rendered || !row.transitionAt || !isAlertTransition(transition)) return [];
    const targets = routeAlert(deps.routes, deps.config.telegram.chatId, routeFactsOf(rendered.snapshot)).map((target) => ({
      chatId: target.chatId,
      routeThreadId: target.threadId ?? 0,
    }));
    const missing = undeliveredTargets(
      { transition, transitionAt: row.transitionAt },
      targets,
      messages.filter((message) => message.issueId === row.issueId),
    );
    return [{ row, transition, action: reconcileAction(missing.length > 0, row.redrivenAt, now, graceMs) }];
  });
}

export const reconcileDeliveryHandler = defineHandler<WorkerDeps, typeof reconcileDelivery>({
  contract: reconcileDelivery,
  concurrency: 1,
  schedules: () => [{ id: 'reconcile-delivery-every-minute-v1', repeat: { every: 60_000 }, data: { redriveAfterMinutes: 10, lookbackHours: 24 } }],
  async handle(payload, { deps, log }) {
    if (!deps.config.glitchtip.integrationEnabled) return { skipped: 'GLITCHTIP_INTEGRATION_ENABLED=false' };
    if (!deps.telegram) return { skipped: 'TELEGRAM_BOT_TOKEN unset: alerts go to the log' };
    const now = new Date();
    const graceMs = payload.redriveAfterMinutes * 60_000;
    const window = { from: new Date(now.getTime() - payload.lookbackHours * 3_600_000), to: new Date(now.getTime() - graceMs), now, limit: BATCH };
    const verdicts: Verdict[] = [];
    // Every page, not only the first: in a storm the first BATCH rows may all be delivered while newer ones are not.
    for (let afterId: number | undefined; ; ) {
      const rows = await alertsAwaitingDelivery(deps.db, { ...window, afterId });
      verdicts.push(...judge(rows, await messageRowsOf(deps.db, rows.map((row) => row.issueId)), deps, now, graceMs));
      if (rows.length < BATCH) break;
      afterId = rows.at(-1)!.id;
    }
    const redriving = verdicts.filter((verdict) => verdict.action === 'redrive');
    for (const { row, transition } of redriving) {
      // Once per notifying transition: the id names it, so a second run cannot queue it twice.
      await deps.producer.enqueue(sendAlert, { issueId: row.issueId, reason: transition }, { jobId: safeJobId('redrive', row.issueId, row.transitionAt!.getTime()) });
    }
    const redrive = redriving.map((verdict) => verdict.row);
    await markRedriven(deps.db, redrive.map((row) => row.issueId), now);
    const undelivered = verdicts.filter((verdict) => verdict.action !== 'delivered').length;
    const stuck = verdicts.filter((verdict) => verdict.action === 'stuck').map((verdict) => verdict.row.issueId);
    await deps.redis.set(undeliveredAlertsKey(deps.config.queuePrefix), String(undelivered));
    if (redrive.length > 0) log.warn({ issues: redrive.map((row) => row.issueId) }, 'alerts not delivered to every chat: sends enqueued again');
    if (stuck.length > 0 && (await deps.redis.set(opsAlertedKey(deps.config.queuePrefix), now.toISOString(), 'EX', OPS_ALERT_EVERY_SECONDS, 'NX')) === 'OK') {
      await deps.producer.enqueue(opsAlert, {
        throttleKey: 'undelivered-alerts',
        title: `${stuck.length} alert${stuck.length === 1 ? '' : 's'} not delivered`,
        details: `Recorded but still not delivered to every chat after a re-drive: ${stuck.slice(0, 20).join(', ')}${stuck.length > 20 ? ', …' : ''}. Check the bot's access to the chats, TELEGRAM_BOT_TOKEN and the send-alert failures.`,
        throttleSeconds: OPS_ALERT_EVERY_SECONDS,
        raisedAt: now.toISOString(),
      });
      log.error({ stuck: stuck.length }, 'ops alert: alerts still undelivered after a re-drive');
    }
    return { examined: verdicts.length, redriven: redrive.map((row) => row.issueId), undelivered, stuck: stuck.length };
  },
});
