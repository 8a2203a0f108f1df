import { claimForDigest, markDigest, releaseDigestClaim, topicKey } from '@triage/alerts';
import { alertRowDeliveryKey, sendWithFallbacks, type DeliveryRecord } from '@triage/delivery';
import { TelegramApiError } from '@triage/telegram';
import { auditWrite, recordOrWarn, type SendJob, type Step, type Target } from './send-job';
import { blockDigests, digestBlocked, digestThreshold, renderStormDigest, saveDigestListing, unmarkWaiting } from './storm-digest';
import { writeFailed } from './write-failure';

/**
 * Spends this job's budget slot on one message for every issue waiting for the chat. 'not-needed' when, once
 * claimed, too few are still pending (their own jobs got there first): the caller then sends its own alert.
 */
export async function sendDigest(job: SendJob, target: Target, issueIds: string[]): Promise<Step | 'not-needed'> {
  const { chatId, threadId } = target;
  if (await digestBlocked(job.deps.redis, job.prefix, chatId, threadId)) return 'not-needed';
  const claimed = await claimForDigest(job.deps.db, chatId, topicKey(threadId), issueIds);
  const rowIds = claimed.map((row) => row.id);
  if (claimed.length <= digestThreshold) {
    await releaseDigestClaim(job.deps.db, rowIds);
    return 'not-needed';
  }
  const claimedIssues = issueIds.filter((issueId) => claimed.some((row) => row.issueId === issueId));
  let record: DeliveryRecord;
  let digest: Awaited<ReturnType<typeof renderStormDigest>>;
  try {
    digest = await renderStormDigest(job.deps.db, chatId, claimedIssues);
    const result = await sendWithFallbacks(job.deps.telegram, chatId, threadId, digest, job.log);
    record = { chatId, messageId: result.message.message_id, threadId: result.threadId, plain: result.plain, digest: true };
  } catch (error) {
    return digestFailed(job, error, target, rowIds);
  }
  await recordOrWarn(job, rowIds.map(alertRowDeliveryKey), record);
  await saveDigestListing(job.deps.redis, job.prefix, chatId, record.messageId, digest.listing).catch((error: unknown) =>
    job.log.warn({ err: error }, 'could not save the digest listing; its "Mute all" button will say it is stale'),
  );
  await bookkeepDigest(job, target, rowIds, claimedIssues, record, digest.hash);
  job.log.info({ chatId, messageId: record.messageId, issues: claimedIssues.length }, 'storm: waiting alerts sent as one digest');
  return claimedIssues.includes(job.issueId) ? { chatId, action: 'digest-sent' } : 'again';
}

export async function bookkeepDigest(job: SendJob, target: Target, rowIds: number[], issueIds: string[], record: DeliveryRecord, hash: string | null = null): Promise<void> {
  await markDigest(job.deps.db, rowIds, record.messageId, hash);
  await unmarkWaiting(job.deps.redis, job.prefix, target.chatId, target.threadId, issueIds);
  await auditWrite(job, {
    action: 'send-alert',
    chatId: target.chatId,
    key: `digest:${target.chatId}:${record.messageId}`,
    issueId: null,
    details: { digest: true, messageId: record.messageId, threadId: record.threadId, issueIds, plain: record.plain ?? false },
  });
}

/**
 * A digest fails alone: its issues go back to their own jobs (pending), whatever the failure. A 429 makes this job
 * wait like any send; anything else turns digests off for the chat for a while, so each issue is sent on its own.
 */
async function digestFailed(job: SendJob, error: unknown, target: Target, rowIds: number[]): Promise<Step> {
  const { chatId, threadId } = target;
  await releaseDigestClaim(job.deps.db, rowIds);
  if (!(error instanceof TelegramApiError)) throw error;
  if (error.kind === 'rate-limited' || error.kind === 'chat-migrated') return writeFailed(job, error, target, 'send-alert', []);
  await blockDigests(job.deps.redis, job.prefix, chatId, threadId);
  await auditWrite(job, { action: 'send-alert', chatId, key: `digest-failed:${chatId}:${job.jobId}:${rowIds.join(',')}`, issueId: null, details: { digest: true, rows: rowIds.length }, error });
  job.log.warn({ chatId, kind: error.kind, issues: rowIds.length }, 'storm digest failed; its issues are sent on their own');
  return 'again';
}
