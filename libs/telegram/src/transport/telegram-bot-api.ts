import { got, RequestError } from 'got';
import { redactSecretsInText, type Logger } from '@triage/logger';
import type {
  AnswerCallbackQueryParams,
  ChatId,
  EditMessageReplyMarkupParams,
  EditMessageTextParams,
  Message,
  SendMessageParams,
  SendPhotoParams,
  SetMyCommandsParams,
  User,
} from './bot-api-types';
import { TelegramApiError, classifyTelegramError } from './telegram-api-error';

export interface TelegramBotApiOptions {
  /** https://api.telegram.org, a self-hosted Bot API server, or a test fake. */
  apiRoot: string;
  token: string;
  logger: Logger;
  /** Log each would-be call and return a synthetic result without any HTTP. */
  dryRun?: boolean;
  /** Whole-request timeout; default 15 s (uploads included). */
  timeoutMs?: number;
}

/** DNS, TCP connect and TLS handshake each: a request that times out here never reached Telegram. */
const connectTimeoutMs = 5_000;

type RequestBody = { json: Record<string, unknown> } | { form: FormData };

/**
 * A thin Bot API client. It never retries: every failure becomes a TelegramApiError with a kind and a retryable flag,
 * and the caller (a BullMQ job with the ChatPacer) decides when to try again.
 */
export class TelegramBotApi {
  private readonly methodUrlBase: string;
  private readonly token: string;
  private readonly logger: Logger;
  private readonly dryRun: boolean;
  private readonly timeoutMs: number;
  private syntheticMessageId = 0;

  constructor(options: TelegramBotApiOptions) {
    this.methodUrlBase = `${options.apiRoot.replace(/\/+$/, '')}/bot${options.token}/`;
    this.token = options.token;
    this.logger = options.logger;
    this.dryRun = options.dryRun ?? false;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  getMe(): Promise<User> {
    return this.call<User>('getMe', { json: {} }, undefined, () => ({
      id: Number(this.token.split(':')[0]) || 0,
      is_bot: true,
      first_name: 'Triage (dry run)',
      username: 'triage_dry_run_bot',
    }));
  }

  sendMessage(params: SendMessageParams): Promise<Message> {
    return this.call<Message>('sendMessage', { json: { ...params } }, params.text, () => this.syntheticMessage(params.chat_id, { text: params.text }));
  }

  editMessageText(params: EditMessageTextParams): Promise<Message> {
    return this.call<Message>('editMessageText', { json: { ...params } }, params.text, () =>
      this.syntheticMessage(params.chat_id, { text: params.text, message_id: params.message_id, edit_date: nowSeconds() }),
    );
  }

  editMessageReplyMarkup(params: EditMessageReplyMarkupParams): Promise<Message> {
    return this.call<Message>('editMessageReplyMarkup', { json: { ...params } }, undefined, () =>
      this.syntheticMessage(params.chat_id, { message_id: params.message_id, edit_date: nowSeconds() }),
    );
  }

  answerCallbackQuery(params: AnswerCallbackQueryParams): Promise<true> {
    return this.call<true>('answerCallbackQuery', { json: { ...params } }, params.text, () => true);
  }

  sendPhoto(params: SendPhotoParams): Promise<Message> {
    const { photo, filename, ...fields } = params;
    let body: RequestBody;
    if (typeof photo === 'string') {
      body = { json: { ...fields, photo } };
    } else {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) {
        if (value !== undefined) form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
      }
      form.append('photo', new Blob([photo]), filename ?? 'photo.png');
      body = { form };
    }
    return this.call<Message>('sendPhoto', body, params.caption, () =>
      this.syntheticMessage(params.chat_id, {
        caption: params.caption,
        photo: [{ file_id: 'dry-run', file_unique_id: 'dry-run', width: 0, height: 0 }],
      }),
    );
  }

  setMyCommands(params: SetMyCommandsParams): Promise<true> {
    return this.call<true>('setMyCommands', { json: { ...params } }, undefined, () => true);
  }

  private async call<T>(method: string, body: RequestBody, text: string | undefined, synthetic: () => T): Promise<T> {
    const chatId = 'json' in body ? body.json.chat_id : body.form.get('chat_id');
    if (this.dryRun) {
      this.logger.info({ method, chatId, textLength: text?.length }, 'dry run: Telegram call not sent');
      return synthetic();
    }
    const startedAt = Date.now();
    let statusCode: number;
    let rawBody: string;
    try {
      const response = await got.post(`${this.methodUrlBase}${method}`, {
        ...('json' in body ? { json: body.json } : { body: body.form }),
        responseType: 'text',
        throwHttpErrors: false,
        retry: { limit: 0 },
        // Phase timeouts before the request is written tell a send that never left from one whose answer was lost.
        timeout: { lookup: connectTimeoutMs, connect: connectTimeoutMs, secureConnect: connectTimeoutMs, request: this.timeoutMs },
      });
      statusCode = response.statusCode;
      rawBody = response.body;
    } catch (error) {
      const code = error instanceof RequestError ? error.code : undefined;
      const reason = code !== undefined ? `${code}: ${(error as Error).message}` : String(error);
      const failure = new TelegramApiError(method, { kind: 'network', retryable: true }, this.redact(reason), undefined, code);
      this.logger.debug({ method, chatId, kind: failure.kind, ms: Date.now() - startedAt }, 'Telegram call failed');
      throw failure;
    }

    const envelope = parseEnvelope(rawBody);
    if (envelope?.ok === true && statusCode < 300) {
      this.logger.debug({ method, chatId, ms: Date.now() - startedAt }, 'Telegram call ok');
      return envelope.result as T;
    }
    const errorCode = envelope?.error_code ?? (statusCode >= 300 ? statusCode : 502);
    const description = this.redact(envelope?.description ?? `HTTP ${statusCode} with a body that is not a Bot API response`);
    const classification = classifyTelegramError({ errorCode, description, parameters: envelope?.parameters });
    const failure = new TelegramApiError(method, classification, description, errorCode);
    this.logger.debug({ method, chatId, kind: failure.kind, errorCode, ms: Date.now() - startedAt }, 'Telegram call failed');
    throw failure;
  }

  private redact(text: string): string {
    return redactSecretsInText(text.split(this.token).join('[REDACTED]'));
  }

  private syntheticMessage(chatId: ChatId, fields: Partial<Message>): Message {
    const id = typeof chatId === 'number' ? chatId : /^-?\d+$/.test(chatId) ? Number(chatId) : 0;
    const type = String(chatId).startsWith('-100') ? 'supergroup' : String(chatId).startsWith('-') ? 'group' : 'private';
    this.syntheticMessageId += 1;
    return { message_id: this.syntheticMessageId, date: nowSeconds(), chat: { id, type }, ...fields };
  }
}

interface BotApiEnvelope {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

function parseEnvelope(raw: string): BotApiEnvelope | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    if (value !== null && typeof value === 'object' && typeof (value as BotApiEnvelope).ok === 'boolean') return value as BotApiEnvelope;
  } catch {
    // not JSON: a proxy's error page, handled by the caller as a server failure
  }
  return undefined;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
