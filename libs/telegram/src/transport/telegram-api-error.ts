/** What went wrong with a Bot API call, in terms a caller can act on. */
export type TelegramErrorKind =
  /** 429: wait retryAfterSeconds (pause the chat), then retry. */
  | 'rate-limited'
  /** The HTML did not parse: a rendering bug; resend as plain text or fix the renderer. */
  | 'parse-entities'
  /** Text over 4096 (caption over 1024, callback answer over 200) characters after parsing. */
  | 'message-too-long'
  /** The edit would change nothing: treat as success. */
  | 'not-modified'
  /** The message to edit (or reply to) is gone or can no longer be edited: send a new one. */
  | 'edit-target-missing'
  /** The group became a supergroup: newChatId is where to send from now on. */
  | 'chat-migrated'
  /** Blocked by the user, kicked from the group, or no right to write there. */
  | 'forbidden'
  | 'chat-not-found'
  /** The forum topic does not exist (or is closed): send without message_thread_id. */
  | 'thread-not-found'
  /** 401/404: the bot token or the API root is wrong. */
  | 'unauthorized'
  /** Any other refusal of the request itself. */
  | 'bad-request'
  /** 5xx or an unreadable response. */
  | 'server'
  /** The request did not complete: connection refused or reset, DNS, timeout. */
  | 'network';

export interface TelegramFailureClassification {
  kind: TelegramErrorKind;
  /** Whether the same request may succeed later unchanged. */
  retryable: boolean;
  retryAfterSeconds?: number;
  newChatId?: number;
}

export interface TelegramErrorResponse {
  /** Telegram's error_code, or the HTTP status when the body was not Telegram's. */
  errorCode: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

const retryableKinds = new Set<TelegramErrorKind>(['rate-limited', 'server', 'network']);

const badRequestKinds: Array<[RegExp, TelegramErrorKind]> = [
  [/message is not modified/i, 'not-modified'],
  [/can't parse entities/i, 'parse-entities'],
  [/message is too long|message caption is too long|MESSAGE_TOO_LONG|text is too long/i, 'message-too-long'],
  [/message to edit not found|message can't be edited|MESSAGE_ID_INVALID|message to be replied not found/i, 'edit-target-missing'],
  [/message thread not found|TOPIC_DELETED|TOPIC_CLOSED/i, 'thread-not-found'],
  [/chat not found|PEER_ID_INVALID/i, 'chat-not-found'],
  [/not enough rights|have no rights|CHAT_WRITE_FORBIDDEN|need administrator rights/i, 'forbidden'],
];

/** Classifies a Bot API error response by its code, description and parameters. */
export function classifyTelegramError(response: TelegramErrorResponse): TelegramFailureClassification {
  const { errorCode, description, parameters } = response;
  const kind = kindOf(errorCode, description, parameters);
  const classification: TelegramFailureClassification = { kind, retryable: retryableKinds.has(kind) };
  if (kind === 'rate-limited') {
    const fromDescription = /retry after (\d+)/i.exec(description)?.[1];
    classification.retryAfterSeconds = parameters?.retry_after ?? (fromDescription ? Number(fromDescription) : 1);
  }
  if (kind === 'chat-migrated') classification.newChatId = parameters?.migrate_to_chat_id;
  return classification;
}

function kindOf(errorCode: number, description: string, parameters: TelegramErrorResponse['parameters']): TelegramErrorKind {
  if (parameters?.migrate_to_chat_id !== undefined) return 'chat-migrated';
  if (errorCode === 429) return 'rate-limited';
  if (errorCode >= 500) return 'server';
  if (errorCode === 401 || errorCode === 404) return 'unauthorized';
  if (errorCode === 403) return 'forbidden';
  if (errorCode === 400) return badRequestKinds.find(([pattern]) => pattern.test(description))?.[1] ?? 'bad-request';
  return 'bad-request';
}

/**
 * A failed Bot API call. The message names the method and Telegram's description, never the request URL (it holds
 * the bot token).
 */
export class TelegramApiError extends Error {
  override readonly name = 'TelegramApiError';
  readonly kind: TelegramErrorKind;
  readonly retryable: boolean;
  readonly method: string;
  /** Telegram's error_code (or the HTTP status); undefined for network failures. */
  readonly errorCode: number | undefined;
  readonly description: string;
  readonly retryAfterSeconds: number | undefined;
  readonly newChatId: number | undefined;
  /** For 'network': the system or got error code (ECONNREFUSED, ETIMEDOUT, ECONNRESET, …); the description starts with it too. */
  readonly networkCode: string | undefined;

  constructor(method: string, classification: TelegramFailureClassification, description: string, errorCode?: number, networkCode?: string) {
    super(`Telegram ${method} failed (${classification.kind}${errorCode !== undefined ? ` ${errorCode}` : ''}): ${description}`);
    this.method = method;
    this.kind = classification.kind;
    this.retryable = classification.retryable;
    this.errorCode = errorCode;
    this.description = description;
    this.retryAfterSeconds = classification.retryAfterSeconds;
    this.newChatId = classification.newChatId;
    this.networkCode = networkCode;
  }
}

export function isTelegramApiError(error: unknown, kind?: TelegramErrorKind): error is TelegramApiError {
  return error instanceof TelegramApiError && (kind === undefined || error.kind === kind);
}
