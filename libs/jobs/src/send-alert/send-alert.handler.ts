import { renderAlert, routeAlert } from '@triage/telegram';
import { defineHandler, postponeJob } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { AlertDelivery, type TargetOutcome } from './alert-delivery';
import { routeFactsOf } from '@triage/delivery';
import { readCurrentAlert } from './current-alert';
import { sendAlert } from '@triage/contracts';

export const sendAlertHandler = defineHandler<WorkerDeps, typeof sendAlert>({
  contract: sendAlert,
  async handle(payload, context) {
    const { deps, log } = context;
    const current = await readCurrentAlert(deps.db, payload.issueId);
    if (!current) {
      log.warn('no alert recorded for this issue; nothing to send');
      return { skipped: 'no alert' };
    }
    const { rendered } = current;
    if (!rendered) {
      log.info('the issue has not alerted yet (only an action was recorded); nothing to send or edit');
      return { skipped: 'no alert yet' };
    }
    const { view, snapshot } = rendered;
    const telegram = deps.telegram;
    if (!telegram) {
      log.info({ reason: payload.reason, text: renderAlert(view).plainText }, 'alert (Telegram off)');
      return { logged: true };
    }
    const targets = routeAlert(deps.routes, deps.config.telegram.chatId, routeFactsOf(snapshot));
    if (targets.length === 0) {
      log.warn('no chat for this alert: set TELEGRAM_CHAT_ID or a route that matches it');
      return { skipped: 'no chat' };
    }

    const delivery = new AlertDelivery({ ...context, deps: { ...deps, telegram } }, payload, view, current.row);
    // Every target is tried before waiting: finished ones are no-ops when the job runs again (hash or status).
    const outcomes: TargetOutcome[] = [];
    for (const target of targets) outcomes.push(await delivery.deliver(target));

    const waits = outcomes.flatMap((outcome) => ('wait' in outcome ? [outcome.wait] : []));
    if (waits.length > 0) {
      const global = waits.find((wait) => wait.reason === 'global');
      const wait = global ?? waits.reduce((shortest, candidate) => (candidate.ms < shortest.ms ? candidate : shortest));
      log.debug({ waitMs: wait.ms, reason: wait.reason }, 'Telegram budget spent; alert waits');
      return postponeJob(context, wait);
    }
    const failure = outcomes.find((outcome): outcome is Extract<TargetOutcome, { failure: Error }> => 'failure' in outcome);
    if (failure) throw failure.failure;
    return { outcomes: outcomes.map((outcome) => ('action' in outcome ? { chatId: outcome.chatId, action: outcome.action, messageId: outcome.messageId } : outcome)) };
  },
});
