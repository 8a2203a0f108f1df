import { hourStart, type FakeIssue, type FakeStore } from './fake-store';
import {
  fakeIssueStatuses,
  isIssueSort,
  matchesIssueQuery,
  parseIsoDate,
  parseIssueQuery,
  parseStartEnd,
  sortIssues,
  sortValue,
  type FakeIssueSort,
  type FakeIssueStatus,
  type ParsedIssueQuery,
} from './issue-search';
import { decodeCursorOffset, paginate, parseLimit } from './pagination';
import { rootJson, commentJson, issueDetailJson, issueJson, issueTagsJson, issueUpdateJson, pythonIsoDate, pythonIsoSeconds } from './serialize';

export interface RouteContext {
  method: string;
  /** Captures of the route pattern. */
  params: string[];
  query: URLSearchParams;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  bodyIsJson: boolean;
  /** This request's URL on the public base (for Link headers). */
  linkUrl: URL;
  publicUrl: string;
  store: FakeStore;
  now: Date;
  /** The caller's valid token, or null (only GET /api/0/ gets this far without one). */
  auth: { token: string; scopes: readonly string[] } | null;
}

export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Django's HTML error page instead of JSON (500s). */
  html?: boolean;
}

export interface ValidationIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  /** Any-of scopes; null: no has_permission check (any valid token). */
  scopes: readonly string[] | null;
  /** GET /api/0/ answers without a token. */
  authOptional?: boolean;
  /** django-ninja validates input before the view (and its has_permission decorator) runs: 422 comes before 403. */
  validate(context: RouteContext): { input: unknown } | { issues: ValidationIssue[] };
  handle(context: RouteContext, input: unknown): RouteResult;
}

const eventRead = ['event:read', 'event:write', 'event:admin'];
const eventWrite = ['event:write', 'event:admin'];
const orgRead = ['org:read', 'org:write', 'org:admin'];

export const notFound: RouteResult = { status: 404, body: { detail: 'Not Found' } };
export const serverError: RouteResult = { status: 500, body: '<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n', html: true };

function ok(body: unknown, status = 200, headers?: Record<string, string>): RouteResult {
  return { status, body, headers };
}

function issue(loc: Array<string | number>, msg: string, type = 'value_error'): ValidationIssue {
  return { type, loc, msg };
}

function noInput(): { input: undefined } {
  return { input: undefined };
}

function intList(query: URLSearchParams, name: string, issues: ValidationIssue[]): number[] {
  return query.getAll(name).flatMap((value, index) => {
    if (/^-?\d+$/.test(value)) return [Number(value)];
    issues.push(issue(['query', name, index], 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing'));
    return [];
  });
}

function pathIssueId(context: RouteContext, issues: ValidationIssue[], index = 0): number {
  const raw = context.params[index] ?? '';
  if (!/^\d+$/.test(raw)) issues.push(issue(['path', 'issue_id'], 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing'));
  return Number(raw);
}

/** The filters of the list and bulk endpoints (IssueFilters). */
interface IssueFilterInput {
  ids: number[];
  projects: number[];
  environments: string[];
  start?: Date;
  end?: Date;
  query?: string;
}

function issueFilters(context: RouteContext, issues: ValidationIssue[]): IssueFilterInput {
  const filters: IssueFilterInput = {
    ids: intList(context.query, 'id', issues),
    projects: intList(context.query, 'project', issues),
    environments: context.query.getAll('environment'),
    query: context.query.get('query') ?? undefined,
  };
  for (const name of ['start', 'end'] as const) {
    const raw = context.query.get(name);
    if (raw === null) continue;
    const date = parseStartEnd(raw, context.now);
    if (date) filters[name] = date;
    else issues.push(issue(['query', name], 'Input should be a valid datetime or a relative time like now-15m', 'datetime_parsing'));
  }
  return filters;
}

type FilterOutcome = { issues: FakeIssue[]; matchingEventId?: string } | { error: RouteResult };

function filterIssues(context: RouteContext, filters: IssueFilterInput): FilterOutcome {
  let candidates = [...context.store.issues.values()].filter((candidate) => candidate.orgSlug === context.params[0]);
  if (filters.ids.length > 0) candidates = candidates.filter((candidate) => filters.ids.includes(candidate.id));
  if (filters.projects.length > 0) candidates = candidates.filter((candidate) => filters.projects.includes(candidate.project.id));
  if (filters.environments.length > 0) {
    candidates = candidates.filter((candidate) => filters.environments.some((environment) => (candidate.tags.environment?.[environment] ?? 0) > 0));
  }
  if (filters.start) candidates = candidates.filter((candidate) => candidate.firstSeen >= filters.start!);
  if (filters.end) candidates = candidates.filter((candidate) => candidate.firstSeen <= filters.end!);
  if (filters.query) {
    const eventId = filters.query.trim().toLowerCase().replace(/-/g, '');
    if (/^[0-9a-f]{32}$/.test(eventId)) {
      return { issues: candidates.filter((candidate) => candidate.latestEvent?.eventID === eventId), matchingEventId: eventId };
    }
    let parsed: ParsedIssueQuery;
    try {
      parsed = parseIssueQuery(filters.query);
    } catch {
      return { error: serverError };
    }
    candidates = candidates.filter((candidate) => matchesIssueQuery(candidate, parsed));
  }
  return { issues: candidates };
}

interface ListInput {
  filters: IssueFilterInput;
  sort: FakeIssueSort;
  limit: number;
  offset: number;
}

function pageParams(context: RouteContext, issues: ValidationIssue[]): { limit: number; offset: number } {
  const limit = parseLimit(context.query.get('limit'));
  if (limit === undefined) issues.push(issue(['query', 'limit'], 'Input should be a valid integer greater than or equal to 0', 'int_parsing'));
  const cursor = context.query.get('cursor');
  const offset = cursor ? decodeCursorOffset(cursor) : 0;
  if (offset === undefined) issues.push(issue(['query', 'cursor'], 'Invalid cursor'));
  return { limit: limit ?? 0, offset: offset ?? 0 };
}

const listIssuesRoute: Route = {
  method: 'GET',
  pattern: /^\/api\/0\/organizations\/([^/]+)\/issues\/$/,
  scopes: eventRead,
  validate(context) {
    const issues: ValidationIssue[] = [];
    const filters = issueFilters(context, issues);
    const sort = context.query.get('sort') ?? '-last_seen';
    if (!isIssueSort(sort)) {
      issues.push(issue(['query', 'sort'], "Input should be 'last_seen', 'first_seen', 'count', 'priority', '-last_seen', '-first_seen', '-count' or '-priority'", 'literal_error'));
    }
    const page = pageParams(context, issues);
    return issues.length > 0 ? { issues } : { input: { filters, sort: sort as FakeIssueSort, ...page } satisfies ListInput };
  },
  handle(context, input) {
    const { filters, sort, limit, offset } = input as ListInput;
    const outcome = filterIssues(context, filters);
    if ('error' in outcome) return outcome.error;
    const sorted = sortIssues(outcome.issues, sort);
    const page = paginate({ items: sorted, limit, offset, requestUrl: context.linkUrl, position: (item) => String(sortValue(item, sort)) });
    const headers = outcome.matchingEventId ? { ...page.headers, 'X-Sentry-Direct-Hit': '1' } : page.headers;
    return ok(page.items.map((item) => issueJson(item, context.publicUrl, context.store.commentsOf(item.id).length, outcome.matchingEventId ?? null)), 200, headers);
  },
};

function statusBody(context: RouteContext, issues: ValidationIssue[]): { status?: FakeIssueStatus; merge?: unknown } {
  const body = context.body;
  if (!context.bodyIsJson || body === null || typeof body !== 'object' || Array.isArray(body)) {
    issues.push(issue(['body', 'payload'], 'Input should be a valid dictionary or object', 'model_attributes_type'));
    return {};
  }
  const { status, merge } = body as { status?: unknown; merge?: unknown };
  if (status !== undefined && status !== null && !(fakeIssueStatuses as readonly unknown[]).includes(status)) {
    issues.push(issue(['body', 'payload', 'status'], "Input should be 'resolved', 'unresolved' or 'ignored'", 'enum'));
  }
  return { status: (status ?? undefined) as FakeIssueStatus | undefined, merge };
}

const bulkUpdateRoute: Route = {
  method: 'PUT',
  pattern: /^\/api\/0\/organizations\/([^/]+)\/issues\/$/,
  scopes: eventWrite,
  validate(context) {
    const issues: ValidationIssue[] = [];
    const filters = issueFilters(context, issues);
    const body = statusBody(context, issues);
    return issues.length > 0 ? { issues } : { input: { filters, body } };
  },
  handle(context, input) {
    const { filters, body } = input as { filters: IssueFilterInput; body: { status?: FakeIssueStatus; merge?: unknown } };
    if (body.merge) return { status: 501, body: { detail: 'merge is not implemented by the GlitchTip fake' } };
    // Like the real server: no id and no filter means every issue of the organization.
    const outcome = filterIssues(context, filters);
    if ('error' in outcome) return outcome.error;
    if (body.status) for (const target of outcome.issues) target.status = body.status;
    return ok({ status: body.status ?? null, merge: body.merge ?? null });
  },
};

function updateOneRoute(pattern: RegExp, idIndex: number): Route {
  return {
    method: 'PUT',
    pattern,
    scopes: eventWrite,
    validate(context) {
      const issues: ValidationIssue[] = [];
      const id = pathIssueId(context, issues, idIndex);
      const body = statusBody(context, issues);
      return issues.length > 0 ? { issues } : { input: { id, body } };
    },
    handle(context, input) {
      const { id, body } = input as { id: number; body: { status?: FakeIssueStatus } };
      const target = context.store.issues.get(id);
      if (!target || (idIndex === 1 && target.orgSlug !== context.params[0])) return notFound;
      // status is NOT NULL: a PUT without it fails inside the view (CONTRACT §2.5).
      if (!body.status) return serverError;
      target.status = body.status;
      return ok(issueUpdateJson(target, context.publicUrl, context.store.commentsOf(id).length));
    },
  };
}

function issueRoute(pattern: RegExp, scopes: readonly string[], respond: (context: RouteContext, target: FakeIssue) => RouteResult): Route {
  return {
    method: 'GET',
    pattern,
    scopes,
    validate(context) {
      const issues: ValidationIssue[] = [];
      const id = pathIssueId(context, issues);
      return issues.length > 0 ? { issues } : { input: id };
    },
    handle(context, input) {
      const target = context.store.issues.get(input as number);
      return target ? respond(context, target) : notFound;
    },
  };
}

const listCommentsRoute: Route = {
  method: 'GET',
  pattern: /^\/api\/0\/issues\/([^/]+)\/comments\/$/,
  // event:write alone may not read comments (CONTRACT §2.3).
  scopes: ['event:read', 'event:admin'],
  validate(context) {
    const issues: ValidationIssue[] = [];
    const id = pathIssueId(context, issues);
    const page = pageParams(context, issues);
    return issues.length > 0 ? { issues } : { input: { id, ...page } };
  },
  handle(context, input) {
    const { id, limit, offset } = input as { id: number; limit: number; offset: number };
    if (!context.store.issues.has(id)) return notFound;
    const newestFirst = [...context.store.commentsOf(id)].sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime() || b.id - a.id);
    const page = paginate({ items: newestFirst, limit, offset, requestUrl: context.linkUrl, position: (comment) => comment.dateCreated.toISOString() });
    return ok(page.items.map(commentJson), 200, page.headers);
  },
};

const addCommentRoute: Route = {
  method: 'POST',
  pattern: /^\/api\/0\/issues\/([^/]+)\/comments\/$/,
  scopes: eventWrite,
  validate(context) {
    const issues: ValidationIssue[] = [];
    const id = pathIssueId(context, issues);
    // PostCommentSchema: data: dict[Literal["text"], str]. Sentry's {"text": ...} fails here.
    const body = context.body as { data?: unknown } | undefined;
    const data = body !== null && typeof body === 'object' && !Array.isArray(body) ? body.data : undefined;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      issues.push(issue(['body', 'payload', 'data'], 'Field required: the body must be {"data": {"text": "..."}}', 'missing'));
    } else {
      const entries = Object.entries(data);
      for (const [key, value] of entries) {
        if (key !== 'text') issues.push(issue(['body', 'payload', 'data', key, '[key]'], "Input should be 'text'", 'literal_error'));
        else if (typeof value !== 'string') issues.push(issue(['body', 'payload', 'data', 'text'], 'Input should be a valid string', 'string_type'));
      }
      if (!entries.some(([key]) => key === 'text')) issues.push(issue(['body', 'payload', 'data', 'text'], 'Field required', 'missing'));
    }
    return issues.length > 0 ? { issues } : { input: { id, text: (data as { text: string }).text } };
  },
  handle(context, input) {
    const { id, text } = input as { id: number; text: string };
    if (!context.store.issues.has(id)) return notFound;
    return ok(commentJson(context.store.addComment(id, text)), 201);
  },
};

/** DELETE /api/0/issues/{id}/comments/{comment_id}/: event:admin only (CONTRACT §2.3), 204 with no body. */
const deleteCommentRoute: Route = {
  method: 'DELETE',
  pattern: /^\/api\/0\/issues\/([^/]+)\/comments\/([^/]+)\/$/,
  scopes: ['event:admin'],
  validate(context) {
    const issues: ValidationIssue[] = [];
    const id = pathIssueId(context, issues);
    const commentId = context.params[1] ?? '';
    if (!/^\d+$/.test(commentId)) issues.push(issue(['path', 'comment_id'], 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing'));
    return issues.length > 0 ? { issues } : { input: { id, commentId: Number(commentId) } };
  },
  handle(context, input) {
    const { id, commentId } = input as { id: number; commentId: number };
    return context.store.deleteComment(id, commentId) ? { status: 204, body: null } : notFound;
  },
};

/** PUT /api/0/issues/{id}/comments/{comment_id}/: same body rules as POST; only the comment's own issue finds it. */
const updateCommentRoute: Route = {
  method: 'PUT',
  pattern: /^\/api\/0\/issues\/([^/]+)\/comments\/([^/]+)\/$/,
  scopes: eventWrite,
  validate(context) {
    const issues: ValidationIssue[] = [];
    const id = pathIssueId(context, issues);
    const rawCommentId = context.params[1] ?? '';
    if (!/^\d+$/.test(rawCommentId)) issues.push(issue(['path', 'comment_id'], 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing'));
    const body = context.body as { data?: unknown } | undefined;
    const data = body !== null && typeof body === 'object' && !Array.isArray(body) ? body.data : undefined;
    const text = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).text : undefined;
    if (data === null || typeof data !== 'object' || Array.isArray(data) || Object.keys(data).some((key) => key !== 'text')) {
      issues.push(issue(['body', 'payload', 'data'], 'Field required: the body must be {"data": {"text": "..."}}', 'missing'));
    } else if (typeof text !== 'string') {
      issues.push(issue(['body', 'payload', 'data', 'text'], 'Input should be a valid string', 'string_type'));
    }
    return issues.length > 0 ? { issues } : { input: { id, commentId: Number(rawCommentId), text } };
  },
  handle(context, input) {
    const { id, commentId, text } = input as { id: number; commentId: number; text: string };
    const comment = context.store.commentsOf(id).find((item) => item.id === commentId);
    if (!comment) return notFound;
    comment.text = text;
    return ok(commentJson(comment));
  },
};

const listOrganizationsRoute: Route = {
  method: 'GET',
  pattern: /^\/api\/0\/organizations\/$/,
  scopes: orgRead,
  validate(context) {
    const issues: ValidationIssue[] = [];
    const page = pageParams(context, issues);
    return issues.length > 0 ? { issues } : { input: page };
  },
  handle(context, input) {
    const { limit, offset } = input as { limit: number; offset: number };
    const slug = context.store.orgSlug;
    const organization = {
      id: '1',
      name: slug.charAt(0).toUpperCase() + slug.slice(1),
      slug,
      isAcceptingEvents: true,
      eventThrottleRate: 0,
      dateCreated: '2024-11-02T12:00:00Z',
      status: { id: 'active', name: 'active' },
      avatar: { avatarType: '', avatarUuid: null },
      isEarlyAdopter: false,
      require2fa: false,
    };
    const page = paginate({ items: [organization], limit, offset, requestUrl: context.linkUrl, position: (org) => org.name });
    return ok(page.items, 200, page.headers);
  },
};

const issuesStatsRoute: Route = {
  method: 'GET',
  pattern: /^\/api\/0\/organizations\/([^/]+)\/issues-stats\/$/,
  scopes: null,
  validate(context) {
    const issues: ValidationIssue[] = [];
    const groups = intList(context.query, 'groups', issues);
    if (context.query.getAll('groups').length === 0) issues.push(issue(['query', 'groups'], 'Field required', 'missing'));
    const period = context.query.get('statsPeriod') ?? '24h';
    if (period !== '24h' && period !== '14d') issues.push(issue(['query', 'statsPeriod'], "Input should be '24h' or '14d'", 'literal_error'));
    return issues.length > 0 ? { issues } : { input: { groups, period } };
  },
  handle(context, input) {
    const { groups, period } = input as { groups: number[]; period: '24h' | '14d' };
    const nowSeconds = Math.floor(context.now.getTime() / 1000);
    const found = groups
      .map((id) => context.store.issues.get(id))
      .filter((candidate): candidate is FakeIssue => candidate !== undefined && candidate.orgSlug === context.params[0])
      .slice(0, 200);
    return ok(
      found.map((target) => {
        const series = period === '24h' ? hourlySeries(target, nowSeconds) : dailySeries(target, nowSeconds);
        return {
          id: String(target.id),
          count: String(target.count),
          userCount: target.count,
          firstSeen: pythonIsoDate(target.firstSeen),
          lastSeen: pythonIsoDate(target.lastSeen),
          isUnhandled: false,
          stats: period === '24h' ? { '24h': series, '14d': null } : { '24h': null, '14d': series },
        };
      }),
    );
  },
};

function hourlySeries(target: FakeIssue, nowSeconds: number): Array<[number, number]> {
  return [...target.hourly.entries()].filter(([hour]) => hour > nowSeconds - 24 * 3600 && hour <= nowSeconds).sort(([a], [b]) => a - b);
}

function dailySeries(target: FakeIssue, nowSeconds: number): Array<[number, number]> {
  const days = new Map<number, number>();
  for (const [hour, count] of target.hourly) {
    if (hour <= nowSeconds - 14 * 86_400 || hour > nowSeconds) continue;
    const day = Math.floor(hour / 86_400) * 86_400;
    days.set(day, (days.get(day) ?? 0) + count);
  }
  return [...days.entries()].sort(([a], [b]) => a - b);
}

const projectAlertsRoute: Route = {
  method: 'GET',
  pattern: /^\/api\/0\/projects\/([^/]+)\/([^/]+)\/alerts\/$/,
  // CONTRACT §1.1: GET needs project:read (write and admin are for changing rules).
  scopes: ['project:read'],
  validate(context) {
    const issues: ValidationIssue[] = [];
    const page = pageParams(context, issues);
    return issues.length > 0 ? { issues } : { input: page };
  },
  handle(context, input) {
    const { limit, offset } = input as { limit: number; offset: number };
    const [org, slug] = context.params;
    if (org !== context.store.orgSlug || !context.store.projects.has(slug ?? '')) return notFound;
    const rules = context.store.projectAlerts.filter((alert) => alert.projectSlug === slug);
    const page = paginate({ items: rules, limit, offset, requestUrl: context.linkUrl, position: (alert) => String(alert.id) });
    // The response echoes recipients without tagsToAdd (CONTRACT §1.1).
    return ok(
      page.items.map(({ id, name, timespanMinutes, quantity, uptime, alertRecipients }) => ({ id, name, timespanMinutes, quantity, uptime, alertRecipients })),
      200,
      page.headers,
    );
  },
};

const statsIntervalsSeconds = { '1h': 3600, '1d': 86_400, '1m': 60 } as const;

const statsV2Route: Route = {
  method: 'GET',
  pattern: /^\/api\/0\/organizations\/([^/]+)\/stats_v2\/$/,
  scopes: orgRead,
  validate(context) {
    const issues: ValidationIssue[] = [];
    const category = context.query.get('category');
    if (category !== 'error' && category !== 'transaction') issues.push(issue(['query', 'category'], "Input should be 'error' or 'transaction'", category === null ? 'missing' : 'literal_error'));
    const field = context.query.get('field');
    if (field !== 'sum(quantity)' && field !== 'sum(times_seen)') issues.push(issue(['query', 'field'], "Input should be 'sum(quantity)' or 'sum(times_seen)'", field === null ? 'missing' : 'literal_error'));
    const interval = context.query.get('interval') ?? '1h';
    if (!(interval in statsIntervalsSeconds)) issues.push(issue(['query', 'interval'], "Input should be '1h', '1d' or '1m'", 'literal_error'));
    const dates: Record<'start' | 'end', Date | undefined> = { start: undefined, end: undefined };
    for (const name of ['start', 'end'] as const) {
      const raw = context.query.get(name);
      // No relative values here, unlike the issue list.
      dates[name] = raw === null ? undefined : parseIsoDate(raw);
      if (!dates[name]) issues.push(issue(['query', name], raw === null ? 'Field required' : 'Input should be a valid datetime', raw === null ? 'missing' : 'datetime_parsing'));
    }
    const projects = intList(context.query, 'project', issues);
    if (issues.length > 0) return { issues };
    return { input: { field, interval, start: dates.start!, end: dates.end!, projects } };
  },
  handle(context, input) {
    const { field, interval, start, end, projects } = input as { field: string; interval: keyof typeof statsIntervalsSeconds; start: Date; end: Date; projects: number[] };
    const step = statsIntervalsSeconds[interval];
    const first = Math.floor(start.getTime() / 1000 / step) * step;
    // end is rounded up to the next hour (api_stats_v2.json: 00:00..03:00 gives buckets through 04:00).
    const last = hourStart(end) + 3600;
    const buckets: number[] = [];
    for (let at = first; at <= last; at += step) {
      buckets.push(at);
      if (buckets.length > 1000) return { status: 422, body: { detail: 'Too many intervals' } };
    }
    const rows = [...context.store.issues.values()]
      .filter((candidate) => candidate.orgSlug === context.params[0] && (projects.length === 0 || projects.includes(candidate.project.id)))
      .flatMap((candidate) => [...candidate.hourly.entries()]);
    // The real query joins hourly rows with `date < bucket + 1 hour` whatever the interval (CONTRACT §2.7).
    const series = buckets.map((bucket) => {
      const inBucket = rows.filter(([hour]) => hour >= bucket && hour < bucket + 3600);
      return inBucket.length === 0 ? null : inBucket.reduce((sum, [, count]) => sum + count, 0);
    });
    return ok({ intervals: buckets.map((bucket) => pythonIsoSeconds(new Date(bucket * 1000))), groups: [{ series: { [field]: series } }] });
  },
};

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/0\/$/,
    scopes: null,
    authOptional: true,
    validate: noInput,
    handle: (context) => ok(rootJson(context.auth)),
  },
  listOrganizationsRoute,
  listIssuesRoute,
  bulkUpdateRoute,
  updateOneRoute(/^\/api\/0\/organizations\/([^/]+)\/issues\/([^/]+)\/$/, 1),
  issueRoute(/^\/api\/0\/issues\/([^/]+)\/$/, eventRead, (context, target) =>
    ok(issueDetailJson(target, context.publicUrl, context.store.commentsOf(target.id).length)),
  ),
  updateOneRoute(/^\/api\/0\/issues\/([^/]+)\/$/, 0),
  issueRoute(/^\/api\/0\/issues\/([^/]+)\/events\/latest\/$/, eventRead, (_context, target) => (target.latestEvent ? ok(target.latestEvent) : notFound)),
  issueRoute(/^\/api\/0\/issues\/([^/]+)\/tags\/$/, eventRead, (context, target) => ok(issueTagsJson(target, context.query.get('key')))),
  listCommentsRoute,
  addCommentRoute,
  updateCommentRoute,
  deleteCommentRoute,
  issuesStatsRoute,
  statsV2Route,
  projectAlertsRoute,
];
