import type { Logger } from '@triage/logger';
import type { Producer } from '@triage/queue';
import { sendAlert, statusEditOptions } from '@triage/contracts';

/**
 * Asks send-alert to edit the issue's alert messages after a state change (coalesced per issue). False when this
 * build has no send-alert handler, so the caller can tell the user another way.
 */
export async function enqueueStatusEdit(deps: { producer: Producer; handledQueues: ReadonlySet<string> }, issueId: string, log: Logger): Promise<boolean> {
  if (!deps.handledQueues.has(sendAlert.name)) {
    log.info('send-alert has no handler in this build; the alert message is not edited');
    return false;
  }
  await deps.producer.enqueue(sendAlert, { issueId, reason: 'status', edit: true }, statusEditOptions(issueId));
  return true;
}
