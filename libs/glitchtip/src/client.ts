import type { z } from 'zod';
import type { Logger } from '@triage/logger';
import { CircuitBreaker, defaultBreaker, type BreakerOptions, type BreakerState } from './circuit-breaker';
import { GlitchTipResponseError, IntegrationDisabledError, RefusedRequestError } from './errors';
import { HttpTransport, type TransportRequest, type TransportResponse } from './http-transport';
import { parseNextCursor } from './link-header';
import { RateLimiter, defaultRateLimit, type RateLimitOptions } from './rate-limiter';
import { defaultBackoff, type BackoffOptions } from './retry-policy';
import type { RequestLimiter } from './shared-rate-limiter';
import {
  bulkUpdateResponseSchema,
  commentListSchema,
  commentSchema,
  eventSchema,
  issueListSchema,
  issueSchema,
  issueStatsListSchema,
  issueStatuses,
  issueTagListSchema,
  organizationListSchema,
  projectAlertListSchema,
  rootSchema,
  statsV2Schema,
  type GlitchTipComment,
  type GlitchTipEvent,
  type GlitchTipIssue,
  type GlitchTipOrganization,
  type GlitchTipRoot,
  type IssueStats,
  type IssueStatus,
  type IssueTag,
  type ProjectAlertRule,
  type StatsV2,
} from './schemas';
import { missingScopes, type ScopeRequirement } from './scopes';

export interface GlitchTipClientOptions {
  baseUrl: string;
  token: string;
  /** Organization slug; default: the token's first organization. */
  org?: string;
  logger: Logger;
  /** Writes are logged and answered with `{ dryRun: true }` instead of being sent. */
  dryRun?: boolean;
  /** false: no HTTP call at all; every method rejects with IntegrationDisabledError. */
  integrationEnabled?: boolean;
  timeoutMs?: number;
  /** Retries after the first attempt on 5xx, network errors, timeouts and 429 (default 3). */
  retries?: number;
  rateLimit?: Partial<RateLimitOptions>;
  /** Shared pacing (SharedRateLimiter over Redis) instead of this process's own token bucket and rateLimit. */
  limiter?: RequestLimiter;
  breaker?: Partial<BreakerOptions>;
  onBreakerChange?: (state: BreakerState) => void;
  backoff?: Partial<BackoffOptions>;
  /** The longest Retry-After the client waits for before giving up (default 60000 ms). */
  maxRetryAfterMs?: number;
}

export type IssueSortField = 'last_seen' | 'first_seen' | 'count' | 'priority';
export type IssueSort = IssueSortField | `-${IssueSortField}`;

export interface ListIssuesParams {
  org?: string;
  /** Only these issues (GlitchTip's repeatable `id` filter). */
  ids?: ReadonlyArray<string | number>;
  /** Numeric project ids (GlitchTip filters by id, not slug). */
  project?: number | readonly number[];
  /** GlitchTip search: `is:unresolved level:error environment:prod free text` (structured tokens first). */
  query?: string;
  sort?: IssueSort;
  /** 1..100 (GlitchTip silently clamps larger values; the client refuses them instead). */
  limit?: number;
  cursor?: string;
  /** Filters on first seen. ISO date or relative `now-15m`, `now-2h`, `now-1d`. */
  start?: Date | string;
  end?: Date | string;
  environment?: string | readonly string[];
}

export interface IssuePage {
  items: GlitchTipIssue[];
  /** Undefined on the last page. */
  nextCursor: string | undefined;
  /** X-Hits: the total, capped by GlitchTip at 1000. */
  hits: number | undefined;
}

export interface PageWalkOptions {
  /** Stop after this many pages (default 10). */
  maxPages?: number;
}

export interface StatsV2Params {
  org?: string;
  start: Date | string;
  end: Date | string;
  interval?: '1h' | '1d' | '1m';
  category: 'error' | 'transaction';
  field: 'sum(quantity)' | 'sum(times_seen)';
  project?: number | readonly number[];
}

export interface TokenValidation {
  ok: boolean;
  scopes: string[];
  /** Unmet requirements, each named ("event:write", "event:read or event:admin"). */
  missing: string[];
  /** Why ok is false, in words. */
  problems: string[];
}

export interface PlannedRequest {
  method: 'POST' | 'PUT';
  path: string;
  body: unknown;
}

/** A write's outcome: the server's answer, or (DRY_RUN) what would have been sent. */
export type WriteResult<T> = { dryRun: false; result: T } | { dryRun: true; wouldSend: PlannedRequest };

export const minimumTokenLength = 32;
const maxBulkIds = 100;
const maxStatsIdsPerRequest = 200;

/** GlitchTip REST API (`/api/0/`), CONTRACT §2. One instance per process: it owns the rate limiter and breaker. */
export class GlitchTipClient {
  private readonly transport: HttpTransport;
  private readonly breaker: CircuitBreaker;
  private readonly logger: Logger;
  private readonly dryRun: boolean;
  private readonly integrationEnabled: boolean;
  private orgSlug: string | undefined;
  private orgLookup: Promise<string> | undefined;

  constructor(private readonly options: GlitchTipClientOptions) {
    this.logger = options.logger;
    this.dryRun = options.dryRun ?? false;
    this.integrationEnabled = options.integrationEnabled ?? true;
    this.orgSlug = options.org;
    this.breaker = new CircuitBreaker({ ...defaultBreaker, ...options.breaker }, this.logger, options.onBreakerChange);
    this.transport = new HttpTransport({
      baseUrl: options.baseUrl,
      token: options.token,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 3,
      backoff: { ...defaultBackoff, ...options.backoff },
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      limiter: options.limiter ?? new RateLimiter({ ...defaultRateLimit, ...options.rateLimit }),
      breaker: this.breaker,
      logger: this.logger,
    });
  }

  breakerState(): BreakerState {
    return this.breaker.state();
  }

  /** GET /api/0/: version, user and the token's scopes (auth is null for an unknown token). */
  async getRoot(): Promise<GlitchTipRoot> {
    return this.read('GET /api/0/', { path: '/api/0/' }, rootSchema);
  }

  /** Checks the token's length and that it has every required scope; names each missing one. */
  async validateToken(requiredScopes: readonly ScopeRequirement[]): Promise<TokenValidation> {
    if (this.options.token.length < minimumTokenLength) {
      return {
        ok: false,
        scopes: [],
        missing: missingScopes(requiredScopes, []),
        problems: [`GLITCHTIP_API_TOKEN is ${this.options.token.length} characters; GlitchTip tokens have at least ${minimumTokenLength}`],
      };
    }
    const root = await this.getRoot();
    if (!root.auth) {
      return { ok: false, scopes: [], missing: missingScopes(requiredScopes, []), problems: ['GlitchTip did not accept the API token'] };
    }
    const missing = missingScopes(requiredScopes, root.auth.scopes);
    return {
      ok: missing.length === 0,
      scopes: root.auth.scopes,
      missing,
      problems: missing.map((scope) => `the API token lacks scope ${scope}`),
    };
  }

  async listOrganizations(walk: PageWalkOptions = {}): Promise<GlitchTipOrganization[]> {
    const items: GlitchTipOrganization[] = [];
    for await (const page of this.walkPages('/api/0/organizations/', new URLSearchParams(), organizationListSchema, walk)) items.push(...page.items);
    return items;
  }

  /** GLITCHTIP_ORG, else the token's first organization (looked up once). */
  async resolveOrg(): Promise<string> {
    if (this.orgSlug) return this.orgSlug;
    this.orgLookup ??= this.listOrganizations({ maxPages: 1 })
      .then((organizations) => {
        const first = organizations[0];
        if (!first) throw new Error('the GlitchTip API token belongs to no organization; set GLITCHTIP_ORG or use another token');
        this.orgSlug = first.slug;
        return first.slug;
      })
      .finally(() => {
        this.orgLookup = undefined;
      });
    return this.orgLookup;
  }

  /** One page of GET /api/0/organizations/{org}/issues/. */
  async listIssues(params: ListIssuesParams = {}): Promise<IssuePage> {
    const org = params.org ?? (await this.resolveOrg());
    const searchParams = issueSearchParams(params);
    const response = await this.send('GET issues', { method: 'GET', path: `/api/0/organizations/${pathSegment(org)}/issues/`, searchParams, idempotent: true });
    return {
      items: parseBody(response, issueListSchema, 'GET', `/api/0/organizations/${org}/issues/`),
      nextCursor: parseNextCursor(response.headers.link),
      hits: numberHeader(response.headers['x-hits']),
    };
  }

  async *iterateIssuePages(params: ListIssuesParams = {}, walk: PageWalkOptions = {}): AsyncGenerator<IssuePage> {
    const maxPages = walk.maxPages ?? 10;
    let cursor = params.cursor;
    for (let page = 0; page < maxPages; page += 1) {
      const result = await this.listIssues({ ...params, cursor });
      yield result;
      if (!result.nextCursor || result.nextCursor === cursor) return;
      cursor = result.nextCursor;
    }
  }

  async *iterateIssues(params: ListIssuesParams = {}, walk: PageWalkOptions = {}): AsyncGenerator<GlitchTipIssue> {
    for await (const page of this.iterateIssuePages(params, walk)) yield* page.items;
  }

  /** Walks the cursor pages; `truncated` is true when maxPages stopped it before the last page. */
  async listAllIssues(params: ListIssuesParams = {}, walk: PageWalkOptions = {}): Promise<{ items: GlitchTipIssue[]; truncated: boolean }> {
    const items: GlitchTipIssue[] = [];
    let truncated = false;
    let pages = 0;
    const maxPages = walk.maxPages ?? 10;
    for await (const page of this.iterateIssuePages(params, { maxPages })) {
      items.push(...page.items);
      pages += 1;
      truncated = pages >= maxPages && page.nextCursor !== undefined;
    }
    return { items, truncated };
  }

  async getIssue(id: string | number): Promise<GlitchTipIssue> {
    return this.read('GET issue', { path: `/api/0/issues/${issueId(id)}/` }, issueSchema);
  }

  async getLatestEvent(id: string | number): Promise<GlitchTipEvent> {
    return this.read('GET latest event', { path: `/api/0/issues/${issueId(id)}/events/latest/` }, eventSchema);
  }

  /** Every value of every tag (or of one `key`), most frequent first. */
  async getIssueTags(id: string | number, key?: string): Promise<IssueTag[]> {
    const searchParams = new URLSearchParams();
    if (key !== undefined) searchParams.set('key', key);
    return this.read('GET issue tags', { path: `/api/0/issues/${issueId(id)}/tags/`, searchParams }, issueTagListSchema);
  }

  /** All comments (pages walked), newest first. */
  async listComments(id: string | number, walk: PageWalkOptions = {}): Promise<GlitchTipComment[]> {
    const items: GlitchTipComment[] = [];
    for await (const page of this.walkPages(`/api/0/issues/${issueId(id)}/comments/`, new URLSearchParams(), commentListSchema, walk)) items.push(...page.items);
    return items;
  }

  /** POST /api/0/issues/{id}/comments/ with GlitchTip's `{"data":{"text"}}` body. Never retried after a timeout or 5xx. */
  async addComment(id: string | number, text: string): Promise<WriteResult<GlitchTipComment>> {
    if (text.trim() === '') throw new RefusedRequestError('refusing to post an empty comment');
    const path = `/api/0/issues/${issueId(id)}/comments/`;
    return this.write({ method: 'POST', path, body: { data: { text } } }, commentSchema, false);
  }

  /** PUT /api/0/issues/{id}/comments/{commentId}/ (event:write): replaces a comment's text; safe to retry. */
  async updateComment(id: string | number, commentId: string | number, text: string): Promise<WriteResult<GlitchTipComment>> {
    if (text.trim() === '') throw new RefusedRequestError('refusing to replace a comment with an empty one');
    const path = `/api/0/issues/${issueId(id)}/comments/${issueId(commentId)}/`;
    return this.write({ method: 'PUT', path, body: { data: { text } } }, commentSchema, true);
  }

  /** PUT /api/0/issues/{id}/; GlitchTip answers in snake_case here, which is parsed into the usual issue shape. */
  async updateIssueStatus(id: string | number, status: IssueStatus): Promise<WriteResult<GlitchTipIssue>> {
    assertStatus(status);
    return this.write({ method: 'PUT', path: `/api/0/issues/${issueId(id)}/`, body: { status } }, issueSchema, true);
  }

  /**
   * PUT /api/0/organizations/{org}/issues/?id=..&id=.. . An empty id list is refused: GlitchTip would apply the
   * status to every issue of the organization.
   */
  async bulkUpdateStatus(ids: ReadonlyArray<string | number>, status: IssueStatus, org?: string): Promise<WriteResult<{ ids: string[]; status: IssueStatus }>> {
    assertStatus(status);
    const unique = [...new Set(ids.map(issueId))];
    if (unique.length === 0) throw new RefusedRequestError('refusing a bulk status update with no issue ids: GlitchTip would update every issue of the organization');
    if (unique.length > maxBulkIds) throw new RefusedRequestError(`refusing a bulk status update of ${unique.length} issues; split it into batches of at most ${maxBulkIds}`);
    const orgSlug = org ?? (await this.resolveOrg());
    const searchParams = new URLSearchParams(unique.map((id): [string, string] => ['id', id]));
    const path = `/api/0/organizations/${pathSegment(orgSlug)}/issues/?${searchParams.toString()}`;
    const outcome = await this.write({ method: 'PUT', path, body: { status } }, bulkUpdateResponseSchema, true);
    return outcome.dryRun ? outcome : { dryRun: false, result: { ids: unique, status } };
  }

  /** Hourly (24h) or daily (14d) event counts per issue; GlitchTip answers at most 200 per request, so larger lists are split. */
  async getIssuesStats(ids: ReadonlyArray<string | number>, period: '24h' | '14d', org?: string): Promise<IssueStats[]> {
    const unique = [...new Set(ids.map(issueId))];
    if (unique.length === 0) return [];
    const orgSlug = org ?? (await this.resolveOrg());
    const results: IssueStats[] = [];
    for (let start = 0; start < unique.length; start += maxStatsIdsPerRequest) {
      const searchParams = new URLSearchParams(unique.slice(start, start + maxStatsIdsPerRequest).map((id): [string, string] => ['groups', id]));
      searchParams.set('statsPeriod', period);
      results.push(...(await this.read('GET issues-stats', { path: `/api/0/organizations/${pathSegment(orgSlug)}/issues-stats/`, searchParams }, issueStatsListSchema)));
    }
    return results;
  }

  /** A project's alert rules (GET needs project:read), every page. */
  async listProjectAlerts(projectSlug: string, org?: string): Promise<ProjectAlertRule[]> {
    const orgSlug = org ?? (await this.resolveOrg());
    const path = `/api/0/projects/${pathSegment(orgSlug)}/${pathSegment(projectSlug)}/alerts/`;
    const items: ProjectAlertRule[] = [];
    for await (const page of this.walkPages(path, new URLSearchParams(), projectAlertListSchema, {})) items.push(...page.items);
    return items;
  }

  /** Organization-wide event counts per interval (not per issue). Buckets without data are null. */
  async getStatsV2(params: StatsV2Params): Promise<StatsV2> {
    const orgSlug = params.org ?? (await this.resolveOrg());
    const searchParams = new URLSearchParams({
      category: params.category,
      field: params.field,
      interval: params.interval ?? '1h',
      start: isoDate(params.start),
      end: isoDate(params.end),
    });
    for (const project of asArray(params.project)) searchParams.append('project', String(project));
    return this.read('GET stats_v2', { path: `/api/0/organizations/${pathSegment(orgSlug)}/stats_v2/`, searchParams }, statsV2Schema);
  }

  private async *walkPages<S extends z.ZodType<unknown[]>>(path: string, searchParams: URLSearchParams, schema: S, walk: PageWalkOptions): AsyncGenerator<{ items: z.output<S> }> {
    const maxPages = walk.maxPages ?? 10;
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page += 1) {
      const params = new URLSearchParams(searchParams);
      if (cursor) params.set('cursor', cursor);
      const response = await this.send(`GET ${path}`, { method: 'GET', path, searchParams: params, idempotent: true });
      yield { items: parseBody(response, schema, 'GET', path) };
      const next = parseNextCursor(response.headers.link);
      if (!next || next === cursor) return;
      cursor = next;
    }
  }

  private async read<S extends z.ZodType>(operation: string, request: { path: string; searchParams?: URLSearchParams }, schema: S): Promise<z.output<S>> {
    const response = await this.send(operation, { method: 'GET', idempotent: true, ...request });
    return parseBody(response, schema, 'GET', request.path);
  }

  private async write<S extends z.ZodType>(planned: PlannedRequest, schema: S, idempotent: boolean): Promise<WriteResult<z.output<S>>> {
    if (!this.integrationEnabled) throw new IntegrationDisabledError(`${planned.method} ${planned.path}`);
    if (this.dryRun) {
      this.logger.info({ method: planned.method, path: planned.path, body: planned.body }, 'glitchtip dry run: write not sent');
      return { dryRun: true, wouldSend: planned };
    }
    const [path, query] = planned.path.split('?', 2);
    const response = await this.send(`${planned.method} ${planned.path}`, {
      method: planned.method,
      path: path ?? planned.path,
      searchParams: query ? new URLSearchParams(query) : undefined,
      json: planned.body,
      idempotent,
    });
    return { dryRun: false, result: parseBody(response, schema, planned.method, planned.path) };
  }

  private async send(operation: string, request: TransportRequest): Promise<TransportResponse> {
    if (!this.integrationEnabled) throw new IntegrationDisabledError(operation);
    return this.transport.request(request);
  }
}

function parseBody<S extends z.ZodType>(response: TransportResponse, schema: S, method: string, path: string): z.output<S> {
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    throw new GlitchTipResponseError(
      method,
      path,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

function issueSearchParams(params: ListIssuesParams): URLSearchParams {
  const searchParams = new URLSearchParams();
  if (params.limit !== undefined && (!Number.isInteger(params.limit) || params.limit < 1 || params.limit > 100)) {
    throw new RefusedRequestError(`issue list limit must be an integer from 1 to 100 (got ${params.limit}); GlitchTip caps pages at 100`);
  }
  if (params.query) searchParams.set('query', params.query);
  if (params.sort) searchParams.set('sort', params.sort);
  if (params.limit !== undefined) searchParams.set('limit', String(params.limit));
  if (params.cursor) searchParams.set('cursor', params.cursor);
  if (params.start !== undefined) searchParams.set('start', dateOrRelative(params.start));
  if (params.end !== undefined) searchParams.set('end', dateOrRelative(params.end));
  for (const id of params.ids ?? []) searchParams.append('id', issueId(id));
  for (const project of asArray(params.project)) searchParams.append('project', String(project));
  for (const environment of asArray(params.environment)) searchParams.append('environment', environment);
  return searchParams;
}

function issueId(id: string | number): string {
  const text = String(id).trim();
  if (!/^\d+$/.test(text)) throw new RefusedRequestError(`not a GlitchTip issue id: ${JSON.stringify(String(id))} (ids are numeric)`);
  return text;
}

function assertStatus(status: string): asserts status is IssueStatus {
  if (!(issueStatuses as readonly string[]).includes(status)) {
    throw new RefusedRequestError(`not a GlitchTip issue status: ${JSON.stringify(status)} (one of ${issueStatuses.join(', ')})`);
  }
}

function pathSegment(value: string): string {
  return encodeURIComponent(value);
}

function dateOrRelative(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

/** stats_v2 takes ISO dates only, no relative values. */
function isoDate(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RefusedRequestError(`stats_v2 needs ISO dates (no relative values); got ${JSON.stringify(String(value))}`);
  return date.toISOString();
}

function asArray<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

function numberHeader(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const number = text === undefined ? NaN : Number(text);
  return Number.isFinite(number) ? number : undefined;
}
