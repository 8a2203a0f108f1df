import { investigationSummary } from '@triage/contracts';
import { defineHandler } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { followUpInTelegram } from './telegram-follow-up';

export const investigationSummaryHandler = defineHandler<WorkerDeps, typeof investigationSummary>({
  contract: investigationSummary,
  async handle(payload, context) {
    // The emergency switch stops every external write, Telegram's included.
    if (!context.deps.config.glitchtip.integrationEnabled) return { skipped: 'GLITCHTIP_INTEGRATION_ENABLED=false' };
    const replies = await followUpInTelegram(context.deps, payload, context);
    context.log.info({ investigationId: payload.investigationId, replies }, 'investigation summary done');
    return { investigationId: payload.investigationId, replies };
  },
});
