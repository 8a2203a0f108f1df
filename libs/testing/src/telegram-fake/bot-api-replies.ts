export interface BotApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface BotApiOkBody {
  ok: true;
  result: unknown;
  description?: string;
}

export interface BotApiReply {
  status: number;
  body: BotApiOkBody | BotApiErrorBody;
}

/** A failed check inside a method handler; the handler throws it and the server turns it into the reply. */
export class BotApiRejection extends Error {
  constructor(readonly reply: BotApiReply) {
    super((reply.body as BotApiErrorBody).description);
  }
}

export function okReply(result: unknown, description?: string): BotApiReply {
  return { status: 200, body: description === undefined ? { ok: true, result } : { ok: true, result, description } };
}

export function errorReply(errorCode: number, description: string, parameters?: BotApiErrorBody['parameters']): BotApiReply {
  const body: BotApiErrorBody = { ok: false, error_code: errorCode, description };
  if (parameters) body.parameters = parameters;
  return { status: errorCode, body };
}

export function reject(errorCode: number, description: string, parameters?: BotApiErrorBody['parameters']): never {
  throw new BotApiRejection(errorReply(errorCode, description, parameters));
}

export function badRequest(description: string, parameters?: BotApiErrorBody['parameters']): never {
  return reject(400, `Bad Request: ${description}`, parameters);
}

export function tooManyRequests(retryAfterSeconds: number): BotApiReply {
  return errorReply(429, `Too Many Requests: retry after ${retryAfterSeconds}`, { retry_after: retryAfterSeconds });
}

export const unauthorizedReply = (): BotApiReply => errorReply(401, 'Unauthorized');
export const notFoundReply = (): BotApiReply => errorReply(404, 'Not Found');
