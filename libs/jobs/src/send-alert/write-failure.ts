import { UnrecoverableError } from 'bullmq';
import { markStatus, moveChat } from '@triage/alerts';
import { outcomeUnknown, rememberMigration } from '@triage/delivery';
import { TelegramApiError } from '@triage/telegram';
import { auditWrite, type SendJob, type Step, type Target } from './send-job';
import { markWaiting, unmarkWaiting } from './storm-digest';

/** Maps a failed write to what happens next; rows this job claimed are released or marked. */
export async function writeFailed(job: SendJob, error: unknown, target: Target, action: 'send-alert' | 'edit-alert', rowIds: number[], details: Record<string, unknown> = {}): Promise<Step> {
  const { chatId, threadId } = target;
  const sending = action === 'send-alert';
  const release = () => (sending ? markStatus(job.deps.db, rowIds, 'pending') : Promise.resolve());
  if (!(error instanceof TelegramApiError)) {
    await release();
    throw error;
  }
  switch (error.kind) {
    case 'rate-limited': {
      const ms = (error.retryAfterSeconds ?? 1) * 1000;
      await job.deps.pacer.pauseChat(chatId, ms);
      await release();
      if (sending) await markWaiting(job.deps.redis, job.prefix, chatId, threadId, job.issueId);
      job.log.warn({ chatId, retryAfterSeconds: error.retryAfterSeconds }, 'Telegram answered 429; chat paused');
      return { chatId, wait: { ms, reason: 'paused' } };
    }
    case 'chat-migrated':
      if (error.newChatId !== undefined) {
        const newChatId = String(error.newChatId);
        await release();
        await rememberMigration(job.deps.redis, job.prefix, chatId, newChatId);
        const moved = await moveChat(job.deps.db, chatId, newChatId);
        job.log.warn({ chatId, newChatId, moved }, 'group became a supergroup; sending to the new chat id (update TELEGRAM_CHAT_ID / ROUTES_FILE)');
        target.chatId = newChatId;
        return 'again';
      }
      break;
    case 'network':
    case 'server':
      if (sending && outcomeUnknown(error)) {
        // The retry sends again, marked as a possible repeat: a second copy is better than a page nobody got.
        await markStatus(job.deps.db, rowIds, 'unknown', error.message);
        await auditWrite(job, { action, chatId, key: `${action}:${job.issueId}:${chatId}:unknown:${job.jobId}:${job.context.job.attemptsMade}`, details, error });
        job.log.warn({ chatId, err: error }, 'Telegram may or may not have posted the alert; the retry sends it again, marked as a possible repeat');
        throw error;
      }
      // The request never left (DNS, refused, TLS handshake, connect timeout) or Telegram answered an error: retry.
      await release();
      throw error;
    case 'unauthorized':
      // A wrong token or API root: nothing to mark, the job retries with backoff until someone fixes the config.
      await release();
      throw error;
    case 'forbidden':
    case 'chat-not-found':
      await markStatus(job.deps.db, rowIds, 'failed', error.description);
      await unmarkWaiting(job.deps.redis, job.prefix, chatId, threadId, [job.issueId]);
      await auditWrite(job, { action, chatId, key: `${action}:${job.issueId}:${chatId}:${error.kind}:${job.jobId}`, details, error });
      job.log.error(
        { chatId, kind: error.kind, description: error.description },
        'ops alert: Telegram refuses alerts for this chat (bot removed, blocked or wrong chat id); alerts for it are being lost',
      );
      return { chatId, failure: new UnrecoverableError(`Telegram refused chat ${chatId}: ${error.description}`) };
    default:
      break;
  }
  // A request Telegram will never take as it is (bad request after the fallbacks): retrying cannot help.
  if (sending) await markStatus(job.deps.db, rowIds, 'failed', error.description);
  await unmarkWaiting(job.deps.redis, job.prefix, chatId, threadId, [job.issueId]);
  await auditWrite(job, { action, chatId, key: `${action}:${job.issueId}:${chatId}:${error.kind}:${job.jobId}`, details, error });
  job.log.error({ chatId, kind: error.kind, description: error.description }, 'ops alert: Telegram rejected the alert message');
  return { chatId, failure: new UnrecoverableError(error.message) };
}
