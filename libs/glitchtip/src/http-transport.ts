import got, { RequestError, type Got, type Response } from 'got';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '@triage/logger';
import type { CircuitBreaker } from './circuit-breaker';
import { GlitchTipHttpError, GlitchTipNetworkError, GlitchTipResponseError } from './errors';
import type { RequestLimiter } from './shared-rate-limiter';
import { backoffDelayMs, classifyStatus, parseRetryAfterMs, type BackoffOptions } from './retry-policy';

export interface TransportOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  backoff: BackoffOptions;
  /** A Retry-After longer than this is not waited for: the 429 is thrown with retryAfterMs set. */
  maxRetryAfterMs: number;
  limiter: RequestLimiter;
  breaker: CircuitBreaker;
  logger: Logger;
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  searchParams?: URLSearchParams;
  json?: unknown;
  /**
   * false for requests that must not run twice (creating a comment): they are retried only when the server
   * certainly never saw them (connection refused, DNS) or said so (429), never after a timeout or a 5xx.
   */
  idempotent: boolean;
}

export interface TransportResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON; undefined for an empty body. */
  body: unknown;
}

// Errors raised before the request left this machine: safe to retry even for non-idempotent calls.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** One GlitchTip call: breaker check, rate limit, got with a timeout, retries with backoff. Never logs the token. */
export class HttpTransport {
  private readonly got: Got;

  constructor(private readonly options: TransportOptions) {
    this.got = got.extend({
      headers: {
        authorization: `Bearer ${options.token}`,
        accept: 'application/json',
        'user-agent': 'triage-glitchtip-client',
      },
      timeout: { request: options.timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
    });
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    const { logger, breaker, limiter, retries } = this.options;
    const query = request.searchParams?.toString();
    const shownPath = query ? `${request.path}?${query}` : request.path;
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${request.path}`;

    for (let attempt = 0; ; attempt += 1) {
      breaker.admit();
      const startedAt = Date.now();
      let response: Response<string>;
      try {
        response = await limiter.run(() =>
          this.got(url, {
            method: request.method,
            searchParams: request.searchParams,
            json: request.json,
          }),
        );
      } catch (error) {
        breaker.recordFailure();
        const code = error instanceof RequestError ? error.code : undefined;
        const failure = new GlitchTipNetworkError(request.method, shownPath, code, error instanceof Error ? error.message : String(error));
        const retryable = request.idempotent || (code !== undefined && notSentCodes.has(code));
        if (!retryable || attempt >= retries) throw failure;
        await this.pauseBeforeRetry(attempt, backoffDelayMs(attempt, this.options.backoff), shownPath, request.method, code ?? 'network error');
        continue;
      }

      const status = response.statusCode;
      logger.debug({ method: request.method, path: shownPath, status, attempt, durationMs: Date.now() - startedAt }, 'glitchtip request');
      const kind = classifyStatus(status);
      if (kind === 'ok') {
        breaker.recordSuccess();
        return { status, headers: response.headers, body: parseJsonBody(request.method, shownPath, response.body) };
      }

      const retryAfterMs = parseRetryAfterMs(response.headers['retry-after']);
      const failure = httpError(request.method, shownPath, status, response.body, retryAfterMs);
      if (kind === 'client') {
        breaker.recordSuccess();
        throw failure;
      }
      if (kind === 'rate-limited') {
        breaker.recordNeutral();
        const delay = retryAfterMs ?? backoffDelayMs(attempt, this.options.backoff);
        if (attempt >= retries || delay > this.options.maxRetryAfterMs) throw failure;
        await this.pauseBeforeRetry(attempt, delay, shownPath, request.method, `429${retryAfterMs === undefined ? '' : ' Retry-After'}`);
        continue;
      }
      breaker.recordFailure();
      if (!request.idempotent || attempt >= retries) throw failure;
      const delay = Math.min(retryAfterMs ?? backoffDelayMs(attempt, this.options.backoff), this.options.maxRetryAfterMs);
      await this.pauseBeforeRetry(attempt, delay, shownPath, request.method, String(status));
    }
  }

  private async pauseBeforeRetry(attempt: number, delayMs: number, path: string, method: string, reason: string): Promise<void> {
    this.options.logger.warn({ method, path, attempt: attempt + 1, retries: this.options.retries, delayMs, reason }, 'glitchtip request failed, retrying');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

function parseJsonBody(method: string, path: string, text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new GlitchTipResponseError(method, path, [`body is not JSON: ${JSON.stringify(text.slice(0, 120))}`]);
  }
}

function httpError(method: string, path: string, status: number, body: string, retryAfterMs: number | undefined): GlitchTipHttpError {
  return new GlitchTipHttpError(method, path, status, detailOf(body), body.slice(0, 500), retryAfterMs);
}

/** django-ninja errors are `{"detail": "text"}` or, for 422, `{"detail": [{loc, msg}, ...]}`. */
export function detailOf(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || !('detail' in parsed)) return undefined;
  const detail = (parsed).detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item) => {
        if (item === null || typeof item !== 'object') return String(item);
        const { loc, msg } = item as { loc?: unknown; msg?: unknown };
        const where = Array.isArray(loc) ? loc.join('.') : undefined;
        return where ? `${where}: ${String(msg)}` : String(msg);
      })
      .join('; ');
  }
  return JSON.stringify(detail);
}
