/**
 * alert_messages.status: one row per message of an issue in a chat and topic (a generation), the only place that
 * decides whether a message may be sent:
 *   pending     row exists, nothing delivered (yet, or a send definitely failed)
 *   sending     one job has claimed the send and is talking to Telegram (since updated_at)
 *   sent        message_id is the alert's message; later alerts of the same generation edit it
 *   unknown     a send whose answer was lost: Telegram may or may not have posted it; the retry sends again, marked
 *               as a possible repeat (delivery over silence)
 *   digesting   claimed by a storm digest being sent
 *   digest      listed in the digest message message_id; not sent on its own
 *   failed      the chat refuses the bot (forbidden, chat not found), or Telegram refuses the message for good
 *   superseded  a newer generation (regression, re-alert, new outage) replaced it; its message points to the newer one
 * Every transition is one conditional UPDATE, so concurrent jobs and worker processes cannot both send.
 */
export const alertMessageStatuses = ['pending', 'sending', 'sent', 'unknown', 'digesting', 'digest', 'failed', 'superseded'] as const;
export type AlertMessageStatus = (typeof alertMessageStatuses)[number];

/** Statuses whose row holds a message people have seen (an edit target or a reply target). */
export const deliveredStatuses: readonly AlertMessageStatus[] = ['sent', 'digest', 'superseded'];

/** Which statuses a send may be claimed from; 'unknown' and stale claims are claimed too (see claimSend). */
export const claimableStatuses: readonly AlertMessageStatus[] = ['pending', 'failed', 'unknown'];

/** A claim older than this belongs to a process that died mid-call (the Bot API client times out after 15 s). */
export const staleClaimMs = 60_000;

export function isAlertMessageStatus(value: string): value is AlertMessageStatus {
  return (alertMessageStatuses as readonly string[]).includes(value);
}

/** Whether a row in this state, updated at updatedAt, is held by a live claim (another job is talking to Telegram). */
export function isLiveClaim(status: string, updatedAt: Date, now = Date.now()): boolean {
  return (status === 'sending' || status === 'digesting') && now - updatedAt.getTime() <= staleClaimMs;
}

/** A claim whose worker died: the message may or may not be out. */
export function isStaleClaim(status: string, updatedAt: Date, now = Date.now()): boolean {
  return (status === 'sending' || status === 'digesting') && now - updatedAt.getTime() > staleClaimMs;
}

/** Sending from this state may post a second copy of a message that did arrive: the text says so. */
export function sendMayRepeat(status: string, updatedAt: Date, now = Date.now()): boolean {
  return status === 'unknown' || isStaleClaim(status, updatedAt, now);
}
