import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  FakeStore,
  type FakeComment,
  type FakeIssue,
  type FakeProjectAlert,
  type NewEventInput,
  type SeedProjectAlertInput,
  type SeedEventInput,
  type SeedIssueInput,
} from './fake-store';
import type { FakeIssueStatus } from './issue-search';
import { routes, type RouteContext, type RouteResult } from './routes';
import { listenOnLoopback } from '../loopback-server';

export interface GlitchTipFakeOptions {
  /** The one valid API token. */
  token: string;
  /** Scopes of that token, e.g. ['event:read', 'event:write', 'org:read']. */
  scopes: readonly string[];
  /** The organization slug the token's user belongs to (default `acme`). */
  org?: string;
  /** Host used in Link headers and permalinks instead of the fake's own address. */
  baseUrlForLinks?: string;
  /** Clock for relative filters (`now-15m`) and stats windows; default the real time. */
  now?: () => Date;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
  receivedAt: number;
  /** Undefined while unanswered (and forever for an injected timeout). */
  status: number | undefined;
  injected: 'failure' | 'timeout' | 'rate-limit' | undefined;
}

type Injection = { kind: 'failure'; status: number } | { kind: 'timeout' } | { kind: 'rate-limit'; retryAfterSeconds: number };

interface MatchingFailure {
  method: string;
  path: RegExp | undefined;
  passLeft: number;
  failLeft: number;
  status: number;
}

function failureResult(status: number): RouteResult {
  return status >= 500
    ? { status, body: `<html><head><title>${status} ${http.STATUS_CODES[status] ?? 'Error'}</title></head><body><h1>${status}</h1></body></html>`, html: true }
    : { status, body: { detail: http.STATUS_CODES[status] ?? 'Error' } };
}

export interface GlitchTipFakeInjections {
  /** The next n requests (any endpoint, before auth) answer `status`: HTML for 5xx like Django or a proxy, JSON detail otherwise. */
  failNext(n: number, status?: number): void;
  /** The next n requests are never answered; the client must time out. */
  timeoutNext(n: number): void;
  /** Every request waits this long before being handled (0 turns it off). */
  slow(ms: number): void;
  /** The next n requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(n: number, retryAfterSeconds: number): void;
  /**
   * Requests with this method (and path, when given) fail with `status` (default 500) once `after` of them have been
   * answered normally, for `times` requests (default: every later one): a failure half-way through a run of writes.
   */
  failMatching(match: { method: string; path?: RegExp; after?: number; times?: number; status?: number }): void;
}

export interface GlitchTipFake {
  /** http://127.0.0.1:<port>, once started. */
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  seedIssue(input?: SeedIssueInput): FakeIssue;
  seedEvent(issueId: number, input?: SeedEventInput): Record<string, unknown>;
  /** A new event: count and last seen go up, a resolved issue regresses to unresolved. */
  recordNewEvent(issueId: number, input?: NewEventInput): FakeIssue;
  /** A project alert rule, listed by GET /api/0/projects/{org}/{project}/alerts/ (default: 1 event in 1 minute). */
  seedProjectAlert(projectSlug: string, input?: SeedProjectAlertInput): FakeProjectAlert;
  issue(id: number): FakeIssue | undefined;
  readonly issues: FakeIssue[];
  readonly comments: FakeComment[];
  commentsOf(issueId: number): FakeComment[];
  /** A comment as if a person had written it in GlitchTip's UI. */
  addComment(issueId: number, text: string): FakeComment;
  /** As a person deleting the comment in GlitchTip's UI. */
  deleteComment(issueId: number, commentId: number): boolean;
  /** issue id -> current status */
  readonly statuses: Record<string, FakeIssueStatus>;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  readonly inFlight: number;
  /** The most requests ever being handled at once since start or reset(). */
  readonly maxInFlight: number;
  /** Changes the token's scopes (reset() restores the original ones). */
  setScopes(scopes: readonly string[]): void;
  inject: GlitchTipFakeInjections;
  /** Forgets data, requests, injections and the in-flight peak. */
  reset(): void;
}

/** A strict stand-in for GlitchTip's REST API (shared/contract/glitchtip/CONTRACT.md §2), on 127.0.0.1 and a free port. */
export function createGlitchTipFake(options: GlitchTipFakeOptions): GlitchTipFake {
  const org = options.org ?? 'acme';
  const clock = options.now ?? (() => new Date());
  let store = new FakeStore(org, clock);
  let scopes = [...options.scopes];
  let requests: RecordedRequest[] = [];
  let injections: Injection[] = [];
  let matchingFailures: MatchingFailure[] = [];
  let slowMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let server: http.Server | undefined;
  let baseUrl: string | undefined;
  const held = new Set<ServerResponse>();

  const publicUrl = () => (options.baseUrlForLinks ?? baseUrl ?? '').replace(/\/+$/, '');

  function authenticate(header: string | undefined): RouteContext['auth'] {
    const match = /^bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match && match[1] === options.token ? { token: options.token, scopes } : null;
  }

  function dispatch(method: string, url: URL, headers: IncomingHttpHeaders, rawBody: string): RouteResult {
    const matching = routes.filter((route) => route.pattern.test(url.pathname));
    if (matching.length === 0) return { status: 404, body: '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n', html: true };
    const route = matching.find((candidate) => candidate.method === method);
    if (!route) return { status: 405, body: { detail: 'Method not allowed' } };
    const auth = authenticate(headers.authorization);
    if (!auth && !route.authOptional) return { status: 401, body: { detail: 'Unauthorized' } };

    let body: unknown;
    let bodyIsJson = false;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
        bodyIsJson = true;
      } catch {
        if (method !== 'GET') return { status: 400, body: { detail: 'Cannot parse request body' } };
      }
    }
    const linkUrl = new URL(url.pathname + url.search, `${publicUrl()}/`);
    const context: RouteContext = {
      method,
      params: route.pattern.exec(url.pathname)!.slice(1),
      query: url.searchParams,
      body,
      bodyIsJson,
      linkUrl,
      publicUrl: publicUrl(),
      store,
      now: clock(),
      auth,
    };
    const validated = route.validate(context);
    if ('issues' in validated) return { status: 422, body: { detail: validated.issues } };
    if (route.scopes && !route.scopes.some((scope) => auth?.scopes.includes(scope))) return { status: 403, body: { detail: 'Permission denied' } };
    return route.handle(context, validated.input);
  }

  function send(res: ServerResponse, result: RouteResult, extraHeaders: Record<string, string> = {}): void {
    const text = result.status === 204 ? '' : result.html ? String(result.body) : JSON.stringify(result.body);
    res.writeHead(result.status, {
      'Content-Type': result.html ? 'text/html; charset=utf-8' : 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...result.headers,
      ...extraHeaders,
    });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let finished = false;
    res.on('close', () => {
      if (!finished) {
        finished = true;
        inFlight -= 1;
      }
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', baseUrl);
    let parsedBody: unknown;
    try {
      parsedBody = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      parsedBody = undefined;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: new URLSearchParams(url.search),
      headers: req.headers,
      rawBody,
      body: parsedBody,
      receivedAt: Date.now(),
      status: undefined,
      injected: undefined,
    };
    requests.push(record);
    if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs));

    const matching = matchingFailures.find((rule) => rule.method === record.method && (!rule.path || rule.path.test(record.path)));
    let matchedFailure: number | undefined;
    if (matching) {
      if (matching.passLeft > 0) matching.passLeft -= 1;
      else if (matching.failLeft > 0) {
        matching.failLeft -= 1;
        matchedFailure = matching.status;
      }
    }
    const injection: Injection | undefined = matchedFailure !== undefined ? { kind: 'failure', status: matchedFailure } : injections.shift();
    if (injection) record.injected = injection.kind;
    if (injection?.kind === 'timeout') {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    let result: RouteResult;
    const extraHeaders: Record<string, string> = {};
    if (injection?.kind === 'rate-limit') {
      result = { status: 429, body: { detail: 'Request was throttled.' } };
      extraHeaders['Retry-After'] = String(injection.retryAfterSeconds);
    } else if (injection?.kind === 'failure') {
      result = failureResult(injection.status);
    } else {
      try {
        result = dispatch(record.method, url, req.headers, rawBody);
      } catch (error) {
        // A bug in the fake must not look like a GlitchTip answer a client could handle.
        result = { status: 599, body: { detail: `GlitchTip fake crashed: ${error instanceof Error ? error.stack : String(error)}` } };
      }
    }
    record.status = result.status;
    send(res, result, extraHeaders);
  }

  function times(n: number, injection: Injection): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`inject: n must be a non-negative integer (got ${n})`);
    for (let index = 0; index < n; index += 1) injections.push(injection);
  }

  return {
    get url() {
      if (!baseUrl) throw new Error('GlitchTip fake is not started');
      return baseUrl;
    },
    async start() {
      if (server) return;
      server = http.createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          if (!res.headersSent) send(res, { status: 599, body: { detail: `GlitchTip fake crashed: ${String(error)}` } });
        });
      });
      baseUrl = await listenOnLoopback(server);
    },
    async stop() {
      if (!server) return;
      const closing = server;
      server = undefined;
      for (const res of held) res.destroy();
      held.clear();
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    seedIssue: (input) => store.seedIssue(input),
    seedEvent: (issueId, input) => store.seedEvent(issueId, input),
    recordNewEvent: (issueId, input) => store.recordNewEvent(issueId, input),
    seedProjectAlert: (projectSlug, input) => store.seedProjectAlert(projectSlug, input),
    issue: (id) => store.issues.get(id),
    get issues() {
      return [...store.issues.values()];
    },
    get comments() {
      return [...store.comments];
    },
    commentsOf: (issueId) => store.commentsOf(issueId),
    addComment: (issueId, text) => {
      store.requireIssue(issueId);
      return store.addComment(issueId, text);
    },
    deleteComment: (issueId, commentId) => store.deleteComment(issueId, commentId),
    get statuses() {
      return Object.fromEntries([...store.issues.values()].map((issue) => [String(issue.id), issue.status]));
    },
    get requests() {
      return requests;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    setScopes(next) {
      scopes = [...next];
    },
    inject: {
      failNext: (n, status = 500) => times(n, { kind: 'failure', status }),
      timeoutNext: (n) => times(n, { kind: 'timeout' }),
      slow: (ms) => {
        slowMs = Math.max(0, ms);
      },
      rateLimitNext: (n, retryAfterSeconds) => times(n, { kind: 'rate-limit', retryAfterSeconds }),
      failMatching: ({ method, path, after = 0, times: count = Number.POSITIVE_INFINITY, status = 500 }) => {
        if (!Number.isInteger(after) || after < 0) throw new RangeError(`failMatching: after must be a non-negative integer (got ${after})`);
        matchingFailures.push({ method: method.toUpperCase(), path, passLeft: after, failLeft: count, status });
      },
    },
    reset() {
      store = new FakeStore(org, clock);
      scopes = [...options.scopes];
      requests = [];
      injections = [];
      matchingFailures = [];
      slowMs = 0;
      maxInFlight = inFlight;
    },
  };
}
