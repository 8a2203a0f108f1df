import type { Telegraf, Context } from 'telegraf';
import type { Redis } from 'ioredis';
import type { Config } from '@triage/config';
import type { AuditEntry } from '@triage/db';
import {
  botCommand,
  bulkApply,
  bulkPreview,
  decodeBulkCallback,
  decodeVoteCallback,
  isBulkCallback,
  digestListingKey,
  investigationVote,
  issueAction,
  issueActionFromCallback,
  type BotReplyPurpose,
  type DigestListing,
  type IssueAction,
  type IssueActionPayload,
} from '@triage/contracts';
import type { Logger } from '@triage/logger';
import { appKey, type Producer } from '@triage/queue';
import { commandNames, helpText, parseCommand, splitCommand, type CommandName } from './command-args';

export interface BotDeps {
  bot: Telegraf;
  producer: Producer;
  config: Config;
  logger: Logger;
  /** Refusals are audited from here: they never reach a worker. */
  audit: (entry: AuditEntry) => Promise<void>;
  /** For the once-an-hour refusal marks (the producer's connection). */
  redis: Redis;
}

export const refusalText = 'You are not allowed to do this.';
export const commandsDisabledText = 'Commands are disabled here (DISABLE_TELEGRAM_COMMANDS=true). Alert buttons still work.';
const staleButtonText = 'This button is no longer valid.';
const enqueueFailedText = '⚠️ Triage could not take that right now; try again in a moment.';

const pressedText: Record<IssueAction, (hours?: number) => string> = {
  resolve: () => 'Resolving…',
  ignore: () => 'Ignoring…',
  unresolve: () => 'Reopening…',
  mute: (hours) => `Muting for ${hours}h…`,
  unmute: () => 'Unmuting…',
  investigate: () => 'Investigation requested…',
  acknowledge: () => 'Acknowledged: the alert now says you are on it',
};

/** A stranger is told no at most this often; anything more would let them spend the chat's message budget. */
const refusalEverySeconds = 3_600;

interface Who {
  userId: number;
  username?: string;
}

function whoOf(ctx: Context): Who | undefined {
  const from = ctx.from;
  if (!from) return undefined;
  return { userId: from.id, ...(from.username ? { username: from.username } : {}) };
}

/**
 * Commands and button presses: check who is asking, check the arguments, enqueue. Everything that reads or writes
 * GlitchTip, or edits an alert, happens in a worker job; the bot itself only answers callbacks, usage lines and /help.
 */
export function createBot({ bot, producer, config, logger, audit, redis }: BotDeps): Telegraf {
  const allowed = (who: Who | undefined): who is Who => who !== undefined && config.telegram.allowedUserIds.includes(who.userId);

  const refuse = async (who: Who | undefined, action: string, requestId: string, details: Record<string, unknown>) => {
    logger.warn({ userId: who?.userId, action }, 'refused: user not in TELEGRAM_ALLOWED_USER_IDS');
    await audit({
      actor: who ? `telegram:${who.userId}` : 'telegram:unknown',
      action,
      target: 'triage',
      result: 'refused',
      issueId: typeof details.issueId === 'string' ? details.issueId : undefined,
      details: { ...details, reason: 'not in TELEGRAM_ALLOWED_USER_IDS' },
      idempotencyKey: `refused:${requestId}`,
    }).catch((error: unknown) => logger.error({ err: error }, 'could not audit a refusal'));
  };

  /** True the first time in an hour this user is refused (a Redis mark with a TTL, shared by every bot process). */
  const firstRefusalThisHour = async (who: Who | undefined): Promise<boolean> => {
    try {
      const key = appKey(config.queuePrefix, 'bot', 'refused', who ? String(who.userId) : 'unknown');
      return (await redis.set(key, '1', 'EX', refusalEverySeconds, 'NX')) === 'OK';
    } catch (error) {
      logger.warn({ err: error }, 'could not check the refusal mark; not answering');
      return false;
    }
  };

  /** A digest's "Mute all": one mute job per issue the digest left without buttons (each audited and paced as usual). */
  const muteRest = async (
    press: { who: Who; chatId: string; messageId: number; threadOf: { threadId?: number }; hours: number; queryId: string },
    answer: (text: string, showAlert?: boolean) => Promise<unknown>,
  ) => {
    let listing: DigestListing | undefined;
    try {
      const raw = await redis.get(digestListingKey(config.queuePrefix, press.chatId, press.messageId));
      listing = raw === null ? undefined : (JSON.parse(raw) as DigestListing);
    } catch (error) {
      logger.warn({ err: error }, 'could not read the digest listing');
    }
    if (!listing || listing.rest.length === 0) {
      await answer(staleButtonText);
      return;
    }
    try {
      await producer.enqueueBulk(
        issueAction,
        listing.rest.map((issueId) => ({
          action: 'mute' as const,
          issueId,
          hours: press.hours,
          actor: press.who,
          chatId: press.chatId,
          messageId: press.messageId,
          ...press.threadOf,
          source: 'button' as const,
          requestId: `${press.queryId}-${issueId}`,
        })),
      );
    } catch (error) {
      logger.error({ err: error }, 'could not enqueue a digest mute');
      await answer(enqueueFailedText, true);
      return;
    }
    await answer(`Muting ${listing.rest.length} issues for ${press.hours}h…`);
  };

  bot.on('callback_query', async (ctx) => {
    const query = ctx.callbackQuery;
    // GLITCHTIP_INTEGRATION_ENABLED=false: no Telegram write at all, not even a press's answer (the press is still handled).
    const answer = (text: string, showAlert = false) =>
      config.glitchtip.integrationEnabled
        ? ctx.answerCbQuery(text, { show_alert: showAlert }).catch((error: unknown) => logger.warn({ err: error }, 'could not answer a callback query'))
        : Promise.resolve();
    const data = 'data' in query ? query.data : undefined;
    // Helpful / Not helpful under an investigation summary: stored by the investigation-vote job.
    const vote = data === undefined ? undefined : decodeVoteCallback(data);
    if (vote) {
      const voter = whoOf(ctx);
      if (!allowed(voter) || !ctx.chat) {
        await answer(refusalText, true);
        await refuse(voter, `investigation.vote.${vote.vote}`, query.id, { investigationId: vote.investigationId, source: 'button', chatId: ctx.chat?.id });
        return;
      }
      try {
        await producer.enqueue(investigationVote, { ...vote, actor: voter, chatId: String(ctx.chat.id), messageId: query.message?.message_id, requestId: query.id });
      } catch (error) {
        logger.error({ err: error }, 'could not enqueue a vote');
        await answer(enqueueFailedText, true);
        return;
      }
      await answer(vote.vote === 'helpful' ? 'Thanks: marked helpful' : 'Thanks: marked not helpful');
      return;
    }
    // Confirm / Cancel under a /bulk preview: the bulk-apply job checks that the presser asked for it and that it is fresh.
    const bulk = data !== undefined && isBulkCallback(data) ? decodeBulkCallback(data) : undefined;
    if (bulk) {
      const presser = whoOf(ctx);
      if ('error' in bulk || !ctx.chat) return void (await answer(staleButtonText));
      if (!allowed(presser)) {
        await answer(refusalText, true);
        await refuse(presser, `bulk.${bulk.decision}`, query.id, { operationId: bulk.operationId, source: 'button', chatId: ctx.chat.id });
        return;
      }
      const bulkMessage = query.message;
      const bulkThread = bulkMessage && 'message_thread_id' in bulkMessage && bulkMessage.is_topic_message && bulkMessage.message_thread_id ? { threadId: bulkMessage.message_thread_id } : {};
      try {
        await producer.enqueue(bulkApply, { ...bulk, actor: presser, chatId: String(ctx.chat.id), messageId: bulkMessage?.message_id, ...bulkThread, requestId: query.id });
      } catch (error) {
        logger.error({ err: error }, 'could not enqueue a bulk confirmation');
        return void (await answer(enqueueFailedText, true));
      }
      await answer(bulk.decision === 'confirm' ? 'Confirmed: backing up every issue, then applying…' : 'Cancelling…');
      return;
    }
    const decoded = data === undefined ? { error: 'no callback data' } : issueActionFromCallback(data);
    if ('error' in decoded) {
      logger.info({ reason: decoded.error }, 'callback with data that is not an alert button');
      await answer(staleButtonText);
      return;
    }
    const who = whoOf(ctx);
    if (!allowed(who)) {
      await answer(refusalText, true);
      const action = 'muteRest' in decoded ? 'issue.mute-rest' : `issue.${decoded.action}`;
      await refuse(who, action, query.id, { ...('issueId' in decoded ? { issueId: decoded.issueId } : {}), source: 'button', chatId: ctx.chat?.id });
      return;
    }
    const message = query.message;
    if (!message || !ctx.chat) {
      // An inline-mode message: no chat to edit or answer in.
      await answer(staleButtonText);
      return;
    }
    const threadOf = 'message_thread_id' in message && message.is_topic_message && message.message_thread_id ? { threadId: message.message_thread_id } : {};
    if ('muteRest' in decoded) {
      await muteRest({ who, chatId: String(ctx.chat.id), messageId: message.message_id, threadOf, hours: decoded.hours, queryId: query.id }, answer);
      return;
    }
    const payload: IssueActionPayload = {
      action: decoded.action,
      issueId: decoded.issueId,
      ...(decoded.hours !== undefined ? { hours: decoded.hours } : {}),
      actor: who,
      chatId: String(ctx.chat.id),
      messageId: message.message_id,
      ...threadOf,
      source: 'button',
      requestId: query.id,
    };
    try {
      await producer.enqueue(issueAction, payload);
    } catch (error) {
      logger.error({ err: error, action: decoded.action }, 'could not enqueue a button press');
      await answer(enqueueFailedText, true);
      return;
    }
    await answer(pressedText[decoded.action](decoded.hours));
  });

  bot.on('message', async (ctx, next) => {
    const message = ctx.message;
    const split = 'text' in message ? splitCommand(message.text) : undefined;
    if (!split || !(commandNames as string[]).includes(split.command)) return next();
    const command = split.command as CommandName;
    const requestId = `update-${ctx.update.update_id}`;
    const threadId = message.is_topic_message && message.message_thread_id ? message.message_thread_id : undefined;
    const who = whoOf(ctx);
    // Every answer goes through the workers' paced path: the bot only enqueues.
    const reply = async (purpose: BotReplyPurpose, text: string) => {
      if (!who) return;
      try {
        await producer.enqueue(botCommand, {
          command: 'reply',
          purpose,
          text,
          actor: who,
          chatId: String(ctx.chat.id),
          messageId: message.message_id,
          ...(threadId ? { threadId } : {}),
          requestId,
        });
      } catch (error) {
        logger.warn({ err: error, command }, 'could not enqueue a reply to a command');
      }
    };

    // Strangers first: they get one refusal an hour and nothing else, whatever they typed.
    if (!allowed(who)) {
      if (await firstRefusalThisHour(who)) await reply('refusal', refusalText);
      await refuse(who, `command.${command}`, requestId, { chatId: ctx.chat.id, source: 'command' });
      return;
    }
    if (!config.components.telegramCommands) return void (await reply('disabled', commandsDisabledText));
    const parsed = parseCommand(command, split.args);
    if (parsed.kind === 'help') return void (await reply('help', helpText()));
    if (parsed.kind === 'usage') return void (await reply('usage', parsed.usage));

    const common = {
      actor: who,
      chatId: String(ctx.chat.id),
      messageId: message.message_id,
      ...(threadId ? { threadId } : {}),
      requestId,
    };
    try {
      if (parsed.kind === 'issue-action') {
        await producer.enqueue(issueAction, {
          ...common,
          action: parsed.action,
          issueId: parsed.issueId,
          ...(parsed.hours !== undefined ? { hours: parsed.hours } : {}),
          source: 'command',
        });
      } else if (parsed.kind === 'errors') {
        await producer.enqueue(botCommand, { ...common, command: 'errors', hours: parsed.hours, ...(parsed.component ? { component: parsed.component } : {}) });
      } else if (parsed.kind === 'stats') {
        await producer.enqueue(botCommand, { ...common, command: 'stats', period: parsed.period });
      } else if (parsed.kind === 'bulk') {
        await producer.enqueue(bulkPreview, { ...common, action: parsed.action, query: parsed.query });
      } else {
        await producer.enqueue(botCommand, { ...common, command: 'runbook', issueId: parsed.issueId });
      }
    } catch (error) {
      // Redis refused the job: a reply could not be enqueued either. The user sees no answer and may ask again.
      logger.error({ err: error, command }, 'could not enqueue a command');
    }
  });

  bot.catch((error, ctx) => {
    logger.error({ err: error, updateId: ctx.update.update_id }, 'unhandled error in an update handler');
  });
  return bot;
}
