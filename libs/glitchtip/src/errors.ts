/** GlitchTip answered with a status outside 2xx. `detail` is the API's `{"detail": ...}` text when there is one. */
export class GlitchTipHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly detail: string | undefined,
    /** The start of the response body, for logs (never contains the token: GlitchTip does not echo it on errors). */
    readonly bodyExcerpt: string,
    /** Set when the server asked to wait (Retry-After on 429/503). */
    readonly retryAfterMs?: number,
  ) {
    super(`GlitchTip ${method} ${path} failed: ${status}${detail ? ` ${detail}` : ''}${hintFor(status)}`);
    this.name = 'GlitchTipHttpError';
  }
}

function hintFor(status: number): string {
  if (status === 401) return ' (the API token is missing, wrong, or its user is inactive)';
  if (status === 403) return ' (the API token lacks a scope this endpoint needs)';
  return '';
}

/**
 * No HTTP response at all: connection refused, DNS, reset, or the request timed out. Only got's message is kept,
 * not the got error itself: its enumerable `options` carry the Authorization header into any logged `cause`.
 */
export class GlitchTipNetworkError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly code: string | undefined,
    reason: string,
  ) {
    super(`GlitchTip ${method} ${path} failed: ${code ?? 'network error'} (${reason})`);
    this.name = 'GlitchTipNetworkError';
  }
}

/** A 2xx body that does not have the shape the contract describes. */
export class GlitchTipResponseError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`GlitchTip ${method} ${path} returned an unexpected body: ${problems.slice(0, 5).join('; ')}`);
    this.name = 'GlitchTipResponseError';
  }
}

/** The circuit breaker is open: GlitchTip failed repeatedly, so calls are refused without trying. */
export class CircuitOpenError extends Error {
  constructor(readonly retryInMs: number) {
    super(`GlitchTip circuit breaker is open after repeated failures; calls are refused for another ${Math.max(0, Math.ceil(retryInMs))} ms`);
    this.name = 'CircuitOpenError';
  }
}

/** GLITCHTIP_INTEGRATION_ENABLED=false: the client makes no HTTP call at all. */
export class IntegrationDisabledError extends Error {
  constructor(readonly operation: string) {
    super(`GlitchTip integration is disabled (GLITCHTIP_INTEGRATION_ENABLED=false): ${operation} was not sent`);
    this.name = 'IntegrationDisabledError';
  }
}

/** The client refused to send a request that would be wrong or dangerous (e.g. a bulk update with no ids). */
export class RefusedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedRequestError';
  }
}
