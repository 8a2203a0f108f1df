import { investigationVote } from '@triage/contracts';
import { recordAudit } from '@triage/db';
import { recordVote } from '@triage/investigation';
import { defineHandler } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

/** A Helpful / Not helpful press: stored on the investigation row (a later press replaces it) and audited once. */
export const investigationVoteHandler = defineHandler<WorkerDeps, typeof investigationVote>({
  contract: investigationVote,
  async handle(payload, { deps, log }) {
    const actor = `telegram:${payload.actor.userId}`;
    const audit = { actor, action: `investigation.vote.${payload.vote}`, target: 'triage' as const, idempotencyKey: `vote:${payload.requestId}` };
    if (!deps.config.telegram.allowedUserIds.includes(payload.actor.userId)) {
      log.warn({ userId: payload.actor.userId }, 'vote refused: user not in TELEGRAM_ALLOWED_USER_IDS');
      await recordAudit(deps.db, { ...audit, result: 'refused', details: { investigationId: payload.investigationId, chatId: payload.chatId } });
      return { refused: true };
    }
    const stored = await recordVote(deps.db, payload.investigationId, payload.vote, actor);
    await recordAudit(deps.db, { ...audit, result: stored ? 'ok' : 'skipped', details: { investigationId: payload.investigationId, chatId: payload.chatId } });
    return { stored, vote: payload.vote };
  },
});
