import http from 'node:http';
import crypto from 'node:crypto';
import {
  BotApiRejection,
  badRequest,
  errorReply,
  notFoundReply,
  okReply,
  reject,
  tooManyRequests,
  unauthorizedReply,
  type BotApiErrorBody,
  type BotApiReply,
} from './bot-api-replies';
import { FakeChats, chatObject, isGroupLike, type FakeChat, type FakeChatConfig } from './fake-chats';
import { FakeFloodControl, type FakeRates } from './flood-control';
import type { ParsedEntity } from './html-entities';
import { parseMessageContent } from './message-content';
import { inspectPhoto, type PhotoInfo } from './photo-upload';
import { callbackDataOf, checkReplyMarkup, type FakeInlineKeyboard } from './reply-markup';
import { BodyParseError, readBotApiRequest, type BotApiRequest } from './request-body';
import { UpdateQueue, type FakeUpdate } from './update-queue';
import { listenOnLoopback } from '../loopback-server';

export interface TelegramFakeOptions {
  token: string;
  chats?: FakeChatConfig[];
  rates?: FakeRates;
  botUsername?: string;
  /** Telegram refuses answers to a callback query after about 15 s. */
  callbackAnswerTimeoutMs?: number;
  /** The fake's clock (flood control, callback expiry, message dates); tests may advance their own instead of sleeping. */
  now?: () => number;
}

export interface FakePhoto {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

/** A message the bot sent, as it currently reads after every edit. */
export interface FakeMessage {
  message_id: number;
  chat_id: number;
  message_thread_id?: number;
  text?: string;
  entities: ParsedEntity[];
  caption?: string;
  caption_entities: ParsedEntity[];
  photo?: FakePhoto;
  reply_markup?: FakeInlineKeyboard;
  /** The text or caption exactly as the bot last sent it, markup included. */
  source: string;
  parse_mode?: string;
  date: number;
  edit_date?: number;
  editCount: number;
  /** The message this one replies to (reply_parameters.message_id), when it still existed. */
  reply_to_message_id?: number;
}

export interface RecordedCall {
  method: string;
  /** Uploaded files appear as { filename, contentType, size }. */
  params: Record<string, unknown>;
  time: number;
  response: BotApiReply;
}

export interface FakeCallbackQuery {
  id: string;
  chatId: number;
  messageId: number;
  fromUserId: number;
  data: string;
  createdAt: number;
  answer?: { text?: string; show_alert?: boolean };
}

export interface InjectOptions {
  /** Only calls of this method are affected (default: every method except getUpdates, getMe and webhook calls). */
  method?: string;
  /** Only calls whose parameters pass this check (e.g. a text containing a word) are affected. */
  matching?: (params: Record<string, unknown>) => boolean;
}

export interface TelegramFake {
  /** The API root to pass as TELEGRAM_API_ROOT (valid after start()). */
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Messages the bot sent, per chat id, in sending order. */
  readonly messages: Map<number, FakeMessage[]>;
  messagesIn(chatId: number): FakeMessage[];
  readonly commands: ReadonlyArray<{ command: string; description: string }>;
  readonly callbackQueries: ReadonlyMap<string, FakeCallbackQuery>;
  readonly stats: {
    /** 429 replies sent, generated or injected. */
    readonly rateLimited: number;
    readonly pendingUpdates: number;
    /** A getUpdates long poll is waiting for updates. */
    readonly pollWaiting: boolean;
    /** Requests holdNext has taken so far (each is answered only when its caller goes away). */
    readonly held: number;
  };
  readonly webhookUrl: string | undefined;
  injectUpdate(update: Omit<FakeUpdate, 'update_id'> & { update_id?: number }): number;
  /** A user presses an inline button; returns the callback query id. The button must exist on that message. */
  pressButton(press: { chatId: number; messageId: number; fromUserId: number; data: string }): string;
  /** A user writes in a chat; commands get their bot_command entity. Returns the message id. */
  sendUserMessage(message: { chatId: number; fromUserId: number; text: string }): number;
  readonly inject: {
    /**
     * The next `count` matching calls answer 429 with this retry_after, and the chat is then refused until it has
     * passed (on the fake's time scale), as Telegram's FLOOD_WAIT does.
     */
    rateLimitNext(count: number, retryAfterSeconds: number, options?: InjectOptions): void;
    /** The next `count` matching calls answer { ok: false, error_code, description }. */
    failNext(count: number, errorCode: number, description: string, options?: InjectOptions & { parameters?: BotApiErrorBody['parameters'] }): void;
    /** The user blocks the bot (private chat) or removes it (group, supergroup, channel): 403 from then on. */
    blockBot(chatId: number): void;
    /**
     * The next `count` matching calls are never answered (and do nothing) until the caller gives up or goes away: a
     * request that reached Telegram's front door and was lost with the process that sent it.
     */
    holdNext(count: number, options?: InjectOptions): void;
    /** The group becomes a supergroup with a new id; the old id answers 400 with migrate_to_chat_id. */
    migrateChat(chatId: number, newChatId: number): void;
  };
  /** Forgets calls, messages, updates, injections, flood state and returns chats to their configured state. */
  reset(): void;
}

interface Injection {
  remaining: number;
  method?: string;
  matching?: (params: Record<string, unknown>) => boolean;
  reply: (params: Record<string, unknown>, onAbort: (listener: () => void) => void) => BotApiReply | Promise<BotApiReply>;
}

type MethodHandler = (request: BotApiRequest, onAbort: (listener: () => void) => void) => BotApiReply | Promise<BotApiReply>;

/** Methods an injected failure never hits by default: polling and setup would swallow injections meant for sends. */
const methodsExemptFromInjection = new Set(['getupdates', 'getme', 'setwebhook', 'deletewebhook', 'getwebhookinfo']);
const notModifiedDescription =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const staleQueryDescription = 'query is too old and response timeout expired or query ID is invalid';

export function createTelegramFake(options: TelegramFakeOptions): TelegramFake {
  const botId = Number(options.token.split(':')[0]);
  if (!Number.isInteger(botId) || botId <= 0) throw new Error('the fake needs a token shaped like 123456:ABC');
  const botUser = { id: botId, is_bot: true, first_name: 'Triage Test Bot', username: options.botUsername ?? 'triage_test_bot' };
  const callbackAnswerTimeoutMs = options.callbackAnswerTimeoutMs ?? 15_000;
  const now = options.now ?? Date.now;

  let server: http.Server | undefined;
  let baseUrl: string | undefined;
  const calls: RecordedCall[] = [];
  const messages = new Map<number, FakeMessage[]>();
  const chats = new FakeChats(options.chats ?? []);
  const nextMessageId = new Map<number, number>();
  const callbackQueries = new Map<string, FakeCallbackQuery>();
  const uploadedPhotos = new Map<string, PhotoInfo>();
  const updates = new UpdateQueue();
  const flood = new FakeFloodControl(options.rates, now);
  let injections: Injection[] = [];
  let commands: Array<{ command: string; description: string }> = [];
  let webhookUrl: string | undefined;
  let rateLimited = 0;
  let held = 0;

  function userObject(userId: number): Record<string, unknown> {
    return { id: userId, is_bot: false, first_name: `User ${userId}` };
  }

  function admitMessage(chat: FakeChat): void {
    const decision = flood.admit(chat.id, isGroupLike(chat));
    if (!decision.ok) {
      throw new BotApiRejection(tooManyRequests(decision.retryAfterSeconds));
    }
  }

  function findMessage(chat: FakeChat, rawMessageId: unknown): FakeMessage {
    if (rawMessageId === undefined || rawMessageId === '') badRequest('message identifier is not specified');
    const messageId = Number(rawMessageId);
    const message = (messages.get(chat.id) ?? []).find((candidate) => candidate.message_id === messageId);
    if (!message) return badRequest('message to edit not found');
    return message;
  }

  /** reply_parameters (or the older reply_to_message_id): the target must exist unless allow_sending_without_reply. */
  function repliedMessage(chat: FakeChat, params: Record<string, unknown>): number | undefined {
    const raw = typeof params.reply_parameters === 'string' ? parseJsonParam(params.reply_parameters, 'reply_parameters') : params.reply_parameters;
    const reply: { message_id?: unknown; allow_sending_without_reply?: unknown; chat_id?: unknown } | undefined =
      raw ?? (params.reply_to_message_id !== undefined ? { message_id: params.reply_to_message_id } : undefined);
    if (reply === undefined) return undefined;
    if (typeof reply !== 'object' || reply === null) return badRequest("can't parse reply parameters JSON object");
    const messageId = Number(reply.message_id);
    if (!Number.isInteger(messageId) || messageId <= 0) return badRequest('message to be replied not found');
    const exists = (messages.get(chat.id) ?? []).some((candidate) => candidate.message_id === messageId);
    if (exists) return messageId;
    if (isTrue(reply.allow_sending_without_reply)) return undefined;
    return badRequest('message to be replied not found');
  }

  function allocateMessageId(chatId: number): number {
    const id = nextMessageId.get(chatId) ?? 1;
    nextMessageId.set(chatId, id + 1);
    return id;
  }

  function messageObject(message: FakeMessage): Record<string, unknown> {
    const chat = chats.get(message.chat_id)!;
    const result: Record<string, unknown> = { message_id: message.message_id, from: botUser, chat: chatObject(chat), date: message.date };
    if (message.message_thread_id !== undefined) {
      result.message_thread_id = message.message_thread_id;
      result.is_topic_message = true;
    }
    if (message.edit_date !== undefined) result.edit_date = message.edit_date;
    if (message.reply_to_message_id !== undefined) result.reply_to_message = { message_id: message.reply_to_message_id, chat: chatObject(chat), date: message.date };
    if (message.text !== undefined) {
      result.text = message.text;
      if (message.entities.length > 0) result.entities = message.entities;
    }
    if (message.photo) {
      result.photo = [message.photo];
      if (message.caption) result.caption = message.caption;
      if (message.caption_entities.length > 0) result.caption_entities = message.caption_entities;
    }
    if (message.reply_markup) result.reply_markup = message.reply_markup;
    return result;
  }

  function storeMessage(message: FakeMessage): void {
    const list = messages.get(message.chat_id) ?? [];
    list.push(message);
    messages.set(message.chat_id, list);
  }

  const nowSeconds = () => Math.floor(now() / 1000);
  const sameMarkup = (a: FakeInlineKeyboard | undefined, b: FakeInlineKeyboard | undefined) => JSON.stringify(a) === JSON.stringify(b);

  function markupOf(raw: unknown): FakeInlineKeyboard | undefined {
    const checked = checkReplyMarkup(raw);
    if (!checked.ok) reject(400, checked.description);
    return checked.markup;
  }

  const handlers: Record<string, MethodHandler> = {
    getMe: () => okReply({ ...botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),

    getUpdates: (request, onAbort) => {
      if (webhookUrl !== undefined) {
        return errorReply(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      }
      return updates.poll(request.params, onAbort);
    },

    setWebhook: ({ params }) => {
      const url = params.url === undefined ? '' : String(params.url);
      if (url === '') {
        webhookUrl = undefined;
        return okReply(true, 'Webhook was deleted');
      }
      if (!/^https:\/\//i.test(url)) badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      if (params.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(params.secret_token))) {
        badRequest('secret token contains unallowed characters');
      }
      if (isTrue(params.drop_pending_updates)) updates.clear();
      webhookUrl = url;
      updates.releaseWaiting();
      return okReply(true, 'Webhook was set');
    },

    deleteWebhook: ({ params }) => {
      if (isTrue(params.drop_pending_updates)) updates.clear();
      const wasSet = webhookUrl !== undefined;
      webhookUrl = undefined;
      return okReply(true, wasSet ? 'Webhook was deleted' : 'Webhook is already deleted');
    },

    getWebhookInfo: () => okReply({ url: webhookUrl ?? '', has_custom_certificate: false, pending_update_count: updates.pendingCount }),

    sendMessage: ({ params }) => {
      const chat = chats.target(params.chat_id);
      const threadId = chats.thread(chat, params.message_thread_id);
      const content = parseMessageContent(params.text, params.parse_mode, params.entities, 'text');
      const markup = markupOf(params.reply_markup);
      const replyTo = repliedMessage(chat, params);
      admitMessage(chat);
      const message: FakeMessage = {
        message_id: allocateMessageId(chat.id),
        chat_id: chat.id,
        message_thread_id: threadId,
        ...(replyTo === undefined ? {} : { reply_to_message_id: replyTo }),
        text: content.text,
        entities: content.entities,
        caption_entities: [],
        reply_markup: markup,
        source: String(params.text),
        parse_mode: params.parse_mode === undefined ? undefined : String(params.parse_mode),
        date: nowSeconds(),
        editCount: 0,
      };
      storeMessage(message);
      return okReply(messageObject(message));
    },

    sendPhoto: ({ params, files }) => {
      const chat = chats.target(params.chat_id);
      const threadId = chats.thread(chat, params.message_thread_id);
      const photo = receivedPhoto(params.photo, files);
      const caption = parseMessageContent(params.caption, params.parse_mode, params.caption_entities, 'caption');
      const markup = markupOf(params.reply_markup);
      admitMessage(chat);
      const message: FakeMessage = {
        message_id: allocateMessageId(chat.id),
        chat_id: chat.id,
        message_thread_id: threadId,
        caption: caption.text === '' ? undefined : caption.text,
        entities: [],
        caption_entities: caption.entities,
        photo,
        reply_markup: markup,
        source: params.caption === undefined ? '' : String(params.caption),
        parse_mode: params.parse_mode === undefined ? undefined : String(params.parse_mode),
        date: nowSeconds(),
        editCount: 0,
      };
      storeMessage(message);
      return okReply(messageObject(message));
    },

    editMessageText: ({ params }) => {
      if (params.inline_message_id !== undefined) badRequest('the fake does not support inline messages');
      const chat = chats.target(params.chat_id);
      const message = findMessage(chat, params.message_id);
      const content = parseMessageContent(params.text, params.parse_mode, params.entities, 'text');
      // An edit without reply_markup removes the keyboard, as on Telegram.
      const markup = markupOf(params.reply_markup);
      if (message.text === undefined) badRequest('there is no text in the message to edit');
      if (message.text === content.text && JSON.stringify(message.entities) === JSON.stringify(content.entities) && sameMarkup(message.reply_markup, markup)) {
        badRequest(notModifiedDescription);
      }
      admitMessage(chat);
      message.text = content.text;
      message.entities = content.entities;
      message.reply_markup = markup;
      message.source = String(params.text);
      message.parse_mode = params.parse_mode === undefined ? undefined : String(params.parse_mode);
      message.edit_date = nowSeconds();
      message.editCount += 1;
      return okReply(messageObject(message));
    },

    editMessageReplyMarkup: ({ params }) => {
      if (params.inline_message_id !== undefined) badRequest('the fake does not support inline messages');
      const chat = chats.target(params.chat_id);
      const message = findMessage(chat, params.message_id);
      const markup = markupOf(params.reply_markup);
      if (sameMarkup(message.reply_markup, markup)) badRequest(notModifiedDescription);
      admitMessage(chat);
      message.reply_markup = markup;
      message.edit_date = nowSeconds();
      message.editCount += 1;
      return okReply(messageObject(message));
    },

    answerCallbackQuery: ({ params }) => {
      const query = callbackQueries.get(String(params.callback_query_id ?? ''));
      if (!query || query.answer || now() - query.createdAt > callbackAnswerTimeoutMs) badRequest(staleQueryDescription);
      const text = params.text === undefined ? undefined : String(params.text);
      if (text !== undefined && text.length > 200) badRequest('MESSAGE_TOO_LONG');
      query.answer = { text, show_alert: isTrue(params.show_alert) };
      return okReply(true);
    },

    setMyCommands: ({ params }) => {
      const raw = typeof params.commands === 'string' ? parseJsonParam(params.commands, 'commands') : params.commands;
      if (!Array.isArray(raw)) badRequest('field "commands" must be an Array');
      const list = raw as Array<{ command?: unknown; description?: unknown }>;
      if (list.length > 100) badRequest('too much commands');
      for (const entry of list) {
        if (typeof entry.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(entry.command)) badRequest('BOT_COMMAND_INVALID');
        if (typeof entry.description !== 'string' || entry.description.length < 1 || entry.description.length > 256) {
          badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
        }
      }
      commands = list.map((entry) => ({ command: String(entry.command), description: String(entry.description) }));
      return okReply(true);
    },

    getMyCommands: () => okReply(commands),
  };

  function receivedPhoto(raw: unknown, files: BotApiRequest['files']): FakePhoto {
    const attached = typeof raw === 'string' && raw.startsWith('attach://') ? files[raw.slice('attach://'.length)] : files.photo;
    if (attached) {
      const info = inspectPhoto(attached.data);
      const fileId = `photo-${crypto.randomBytes(8).toString('hex')}`;
      uploadedPhotos.set(fileId, info);
      return { file_id: fileId, file_unique_id: fileId.slice(6, 14), width: info.width, height: info.height, file_size: info.size };
    }
    if (typeof raw === 'string' && raw !== '') {
      const known = uploadedPhotos.get(raw);
      if (!known) badRequest('wrong file identifier/HTTP URL specified');
      return { file_id: raw, file_unique_id: raw.slice(6, 14), width: known.width, height: known.height, file_size: known.size };
    }
    return badRequest('there is no photo in the request');
  }

  const handlerByLowerName = new Map(Object.entries(handlers).map(([name, handler]) => [name.toLowerCase(), { name, handler }]));

  function takeInjection(method: string, params: Record<string, unknown>): Injection | undefined {
    const lower = method.toLowerCase();
    const injection = injections.find(
      (candidate) =>
        (candidate.method !== undefined ? candidate.method.toLowerCase() === lower : !methodsExemptFromInjection.has(lower)) &&
        (candidate.matching === undefined || candidate.matching(params)),
    );
    if (!injection) return undefined;
    injection.remaining -= 1;
    if (injection.remaining <= 0) injections = injections.filter((candidate) => candidate !== injection);
    return injection;
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
    let method = route?.[2] ?? url.pathname;
    let params: Record<string, unknown> = {};
    let reply: BotApiReply;
    try {
      if (!route || route[1] !== options.token) {
        request.resume();
        reply = route ? unauthorizedReply() : notFoundReply();
      } else {
        const parsed = await readBotApiRequest(request, url);
        params = describeParams(parsed);
        const found = handlerByLowerName.get(route[2]!.toLowerCase());
        if (!found) reply = notFoundReply();
        else {
          method = found.name;
          reply = await dispatch(found.name, found.handler, parsed, (listener) => response.once('close', listener));
        }
      }
    } catch (error) {
      if (error instanceof BodyParseError) reply = errorReply(400, error.message);
      else reply = errorReply(500, `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (reply.status === 429) rateLimited += 1;
    calls.push({ method, params, time: now(), response: reply });
    if (response.destroyed) return;
    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(reply.body));
  }

  async function dispatch(name: string, handler: MethodHandler, request: BotApiRequest, onAbort: (listener: () => void) => void): Promise<BotApiReply> {
    const injection = takeInjection(name, request.params);
    if (injection) return injection.reply(request.params, onAbort);
    try {
      return await handler(request, onAbort);
    } catch (error) {
      if (error instanceof BotApiRejection) return error.reply;
      throw error;
    }
  }

  const fake: TelegramFake = {
    get url() {
      if (!baseUrl) throw new Error('the Telegram fake is not started');
      return baseUrl;
    },
    async start() {
      if (server) return;
      server = http.createServer((request, response) => {
        void handle(request, response);
      });
      baseUrl = await listenOnLoopback(server);
    },
    async stop() {
      if (!server) return;
      updates.releaseWaiting();
      const closing = server;
      server = undefined;
      baseUrl = undefined;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
    calls,
    callsTo: (method) => calls.filter((call) => call.method.toLowerCase() === method.toLowerCase()),
    messages,
    messagesIn: (chatId) => messages.get(chatId) ?? [],
    get commands() {
      return commands;
    },
    callbackQueries,
    stats: {
      get rateLimited() {
        return rateLimited;
      },
      get pendingUpdates() {
        return updates.pendingCount;
      },
      get pollWaiting() {
        return updates.pollWaiting;
      },
      get held() {
        return held;
      },
    },
    get webhookUrl() {
      return webhookUrl;
    },
    injectUpdate: (update) => updates.push(update),
    pressButton({ chatId, messageId, fromUserId, data }) {
      const message = (messages.get(chatId) ?? []).find((candidate) => candidate.message_id === messageId);
      if (!message) throw new Error(`pressButton: chat ${chatId} has no bot message ${messageId}`);
      if (!callbackDataOf(message.reply_markup).includes(data)) {
        throw new Error(`pressButton: message ${messageId} has no button with callback_data ${JSON.stringify(data)}`);
      }
      const id = String(BigInt.asUintN(63, crypto.randomBytes(8).readBigUInt64BE()));
      callbackQueries.set(id, { id, chatId, messageId, fromUserId, data, createdAt: now() });
      updates.push({
        callback_query: { id, from: userObject(fromUserId), message: messageObject(message), chat_instance: `ci${chatId}`, data },
      });
      return id;
    },
    sendUserMessage({ chatId, fromUserId, text }) {
      const chat = chats.get(chatId);
      if (!chat) throw new Error(`sendUserMessage: unknown chat ${chatId}`);
      const messageId = allocateMessageId(chatId);
      const message: Record<string, unknown> = { message_id: messageId, from: userObject(fromUserId), chat: chatObject(chat), date: nowSeconds(), text };
      const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
      if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
      if (chat.type === 'private') chat.botStarted = true;
      updates.push({ message });
      return messageId;
    },
    inject: {
      rateLimitNext(count, retryAfterSeconds, injectOptions = {}) {
        injections.push({
          remaining: count,
          method: injectOptions.method,
          matching: injectOptions.matching,
          reply: (params) => {
            const chatId = Number(params.chat_id);
            if (Number.isInteger(chatId)) flood.impose(chatId, retryAfterSeconds);
            return tooManyRequests(retryAfterSeconds);
          },
        });
      },
      holdNext(count, injectOptions = {}) {
        injections.push({
          remaining: count,
          method: injectOptions.method,
          matching: injectOptions.matching,
          reply: (_params, onAbort) => {
            held += 1;
            return new Promise<BotApiReply>((resolve) => onAbort(() => resolve(errorReply(499, 'client closed the request'))));
          },
        });
      },
      failNext(count, errorCode, description, injectOptions = {}) {
        injections.push({
          remaining: count,
          method: injectOptions.method,
          matching: injectOptions.matching,
          reply: () => errorReply(errorCode, description, injectOptions.parameters),
        });
      },
      blockBot(chatId) {
        const chat = chats.get(chatId);
        if (!chat) throw new Error(`blockBot: unknown chat ${chatId}`);
        chat.blocked = true;
      },
      migrateChat(chatId, newChatId) {
        const chat = chats.get(chatId);
        if (!chat || chat.type !== 'group') throw new Error(`migrateChat: ${chatId} is not a configured group`);
        chat.migratedTo = newChatId;
        if (!chats.get(newChatId)) chats.addSupergroup(newChatId, chat.title);
        updates.push({ message: { message_id: allocateMessageId(chatId), chat: chatObject(chat), date: nowSeconds(), migrate_to_chat_id: newChatId } });
      },
    },
    reset() {
      calls.length = 0;
      messages.clear();
      nextMessageId.clear();
      callbackQueries.clear();
      uploadedPhotos.clear();
      updates.reset();
      flood.reset();
      injections = [];
      commands = [];
      webhookUrl = undefined;
      rateLimited = 0;
      held = 0;
      chats.reset();
    },
  };

  return fake;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}

function parseJsonParam(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return badRequest(`can't parse ${name} JSON object`);
  }
}

function describeParams(request: BotApiRequest): Record<string, unknown> {
  const params: Record<string, unknown> = { ...request.params };
  for (const [name, file] of Object.entries(request.files)) params[name] = { filename: file.filename, contentType: file.contentType, size: file.data.length };
  return params;
}
