import type { Logger } from '@triage/logger';
import { isTelegramApiError, type InlineKeyboardMarkup, type Message, type SendMessageParams, type TelegramBotApi } from '@triage/telegram';

export interface OutgoingText {
  html: string;
  plainText: string;
}

export interface OutgoingMessage extends OutgoingText {
  keyboard?: InlineKeyboardMarkup;
  /** Renders again within a smaller limit, for the one retry after 'message-too-long'. */
  rerender?: (maxLength: number) => OutgoingText;
}

export interface WriteResult {
  message: Message;
  /** Telegram rejected the HTML and the plain-text version went out. */
  plain: boolean;
  threadId: number | undefined;
}

/** The renderer keeps 4096; if Telegram still counts more, leave a wide margin on the one retry. */
const shorterLimit = 3_500;

/**
 * One logical write with the recoveries that need no waiting, each tried once: HTML Telegram cannot parse goes out as
 * plain text, a too-long text is rendered shorter, a vanished forum topic is dropped. Anything else is thrown.
 */
async function withFallbacks(
  message: OutgoingMessage,
  threadId: number | undefined,
  log: Logger,
  call: (text: string, plain: boolean, threadId: number | undefined) => Promise<Message>,
): Promise<WriteResult> {
  let current: OutgoingText = message;
  let plain = false;
  let shortened = false;
  let thread = threadId;
  for (;;) {
    try {
      return { message: await call(plain ? current.plainText : current.html, plain, thread), plain, threadId: thread };
    } catch (error) {
      if (isTelegramApiError(error, 'parse-entities') && !plain) {
        log.warn({ description: (error).description }, 'Telegram rejected the HTML; sending as plain text');
        plain = true;
      } else if (isTelegramApiError(error, 'message-too-long') && !shortened && message.rerender) {
        log.warn('Telegram found the message too long; rendering it shorter');
        current = message.rerender(shorterLimit);
        shortened = true;
      } else if (isTelegramApiError(error, 'thread-not-found') && thread !== undefined) {
        log.warn({ threadId: thread }, 'forum topic not found; sending to the chat without it');
        thread = undefined;
      } else {
        throw error;
      }
    }
  }
}

export function sendWithFallbacks(
  api: TelegramBotApi,
  chatId: string,
  threadId: number | undefined,
  message: OutgoingMessage,
  log: Logger,
  replyTo?: number,
): Promise<WriteResult> {
  // A reply whose target is gone still goes out, on its own (allow_sending_without_reply).
  const reply: Pick<SendMessageParams, 'reply_parameters'> =
    replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
  return withFallbacks(message, threadId, log, (text, plain, thread) =>
    api.sendMessage({
      ...reply,
      chat_id: chatId,
      text,
      ...(plain ? {} : { parse_mode: 'HTML' as const }),
      ...(thread === undefined ? {} : { message_thread_id: thread }),
      ...(message.keyboard ? { reply_markup: message.keyboard } : {}),
      link_preview_options: { is_disabled: true },
    }),
  );
}

export function editWithFallbacks(api: TelegramBotApi, chatId: string, messageId: number, message: OutgoingMessage, log: Logger): Promise<WriteResult> {
  return withFallbacks(message, undefined, log, (text, plain) =>
    api.editMessageText({
      chat_id: chatId,
      message_id: messageId,
      text,
      ...(plain ? {} : { parse_mode: 'HTML' as const }),
      ...(message.keyboard ? { reply_markup: message.keyboard } : {}),
      link_preview_options: { is_disabled: true },
    }),
  );
}
