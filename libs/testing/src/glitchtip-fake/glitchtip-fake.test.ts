import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import crypto from 'node:crypto';
import { waitFor } from '../wait';
import { createGlitchTipFake } from './fake-server';

const token = crypto.randomBytes(32).toString('hex');
const now = new Date('2025-06-19T12:00:00.000Z');
const fake = createGlitchTipFake({
  token,
  scopes: ['event:read', 'event:write', 'org:read'],
  org: 'acme',
  baseUrlForLinks: 'https://glitchtip.example.com',
  now: () => now,
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function call(method: string, path: string, options: { body?: unknown; rawBody?: string; auth?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? `Bearer ${token}` : options.auth;
  if (auth !== null) headers.Authorization = auth;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${fake.url}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

beforeAll(async () => {
  await fake.start();
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
});

describe('authentication and scopes', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong token', `Bearer ${'0'.repeat(64)}`],
    ['another scheme', `Token ${token}`],
    ['an empty bearer', 'Bearer '],
  ])('401 {"detail":"Unauthorized"} for %s', async (_name, auth) => {
    const answer = await call('GET', '/api/0/organizations/acme/issues/', { auth });
    expect([answer.status, answer.json]).toEqual([401, { detail: 'Unauthorized' }]);
  });

  it('accepts the scheme word in any case', async () => {
    expect((await call('GET', '/api/0/organizations/', { auth: `bEaReR ${token}` })).status).toBe(200);
  });

  it('GET /api/0/ needs no token and shows the scopes only for a valid one', async () => {
    const anonymous = await call('GET', '/api/0/', { auth: null });
    expect([anonymous.status, anonymous.json]).toEqual([200, { version: '0', user: null, auth: null }]);
    const authed = (await call('GET', '/api/0/')).json as { auth: { scopes: string[]; token: string }; user: { email: string } };
    expect(authed.auth.scopes).toEqual(['event:read', 'event:write', 'org:read']);
    expect(authed.auth.token).toBe(token);
  });

  it.each<[string, string[], string, string, number]>([
    ['issue list with only org:read', ['org:read'], 'GET', '/api/0/organizations/acme/issues/', 403],
    ['issue list with event:admin (any of)', ['event:admin'], 'GET', '/api/0/organizations/acme/issues/', 200],
    ['comment list with event:write alone', ['event:write'], 'GET', '/api/0/issues/{id}/comments/', 403],
    ['comment list with event:admin', ['event:admin'], 'GET', '/api/0/issues/{id}/comments/', 200],
    ['issue detail with event:write', ['event:write'], 'GET', '/api/0/issues/{id}/', 200],
    ['status update with event:read', ['event:read'], 'PUT', '/api/0/issues/{id}/', 403],
    ['organizations with event:admin', ['event:admin'], 'GET', '/api/0/organizations/', 403],
    ['stats_v2 with org:write', ['org:write'], 'GET', '/api/0/organizations/acme/stats_v2/?category=error&field=sum(quantity)&start=2025-06-19T00:00:00Z&end=2025-06-19T01:00:00Z', 200],
    ['issues-stats with no event scope (not checked)', ['project:read'], 'GET', '/api/0/organizations/acme/issues-stats/?groups={id}', 200],
  ])('%s -> %i', async (_name, scopes, method, pathTemplate, expected) => {
    const issue = fake.seedIssue();
    fake.setScopes(scopes);
    const answer = await call(method, pathTemplate.replace('{id}', String(issue.id)), method === 'PUT' ? { body: { status: 'resolved' } } : {});
    expect(answer.status).toBe(expected);
    if (expected === 403) expect(answer.json).toEqual({ detail: 'Permission denied' });
  });

  it('validates input before checking scopes, as django-ninja does (422 before 403)', async () => {
    fake.setScopes(['org:read']);
    expect((await call('GET', '/api/0/organizations/acme/issues/?sort=date')).status).toBe(422);
  });
});

describe('routing', () => {
  it.each([
    ['unknown issue', 'GET', '/api/0/issues/424242/', 404, { detail: 'Not Found' }],
    ['no latest event seeded', 'GET', '/api/0/issues/{id}/events/latest/', 404, { detail: 'Not Found' }],
    ['no GET at the org-scoped issue path', 'GET', '/api/0/organizations/acme/issues/{id}/', 405, { detail: 'Method not allowed' }],
    ['no /tags/{key}/ endpoint', 'GET', '/api/0/issues/{id}/tags/environment/', 404, undefined],
    ['missing trailing slash', 'GET', '/api/0/issues/{id}', 404, undefined],
    ['non-numeric issue id', 'GET', '/api/0/issues/abc/', 422, expect.objectContaining({ detail: [expect.objectContaining({ loc: ['path', 'issue_id'] })] })],
  ])('%s', async (_name, method, pathTemplate, status, json) => {
    const issue = fake.seedIssue();
    const answer = await call(method, pathTemplate.replace('{id}', String(issue.id)));
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual(json);
  });
});

describe('issue list', () => {
  it('answers the contract shape: bare array, string count, X-Hits, and a Link wrapped in {\'...\'}', async () => {
    for (let index = 0; index < 3; index += 1) fake.seedIssue({ count: 57, lastSeen: new Date(now.getTime() - index * 60_000) });
    const answer = await call('GET', '/api/0/organizations/acme/issues/?limit=2');
    const body = answer.json as Array<Record<string, unknown>>;
    expect(Array.isArray(body)).toBe(true);
    expect(body).toHaveLength(2);
    expect(body[0]).toMatchObject({ count: '57', project: { id: '1', slug: 'backend' }, stats: { '24h': [] }, shareId: null, statusDetails: {} });
    expect(Object.keys(body[0]!)).toEqual([
      'id', 'count', 'type', 'level', 'status', 'project', 'shortId', 'numComments', 'stats', 'shareId', 'logger', 'permalink',
      'statusDetails', 'subscriptionDetails', 'userCount', 'matchingEventId', 'firstSeen', 'lastSeen', 'title', 'metadata', 'culprit',
    ]);
    expect(body[0]!.permalink).toBe(`https://glitchtip.example.com/backend/issues/${body[0]!.id}`);
    expect([answer.headers.get('x-hits'), answer.headers.get('x-max-hits')]).toEqual(['3', '1000']);
    const link = answer.headers.get('link')!;
    expect(link).toMatch(/^\{'<https:\/\/glitchtip\.example\.com\/api\/0\/organizations\/acme\/issues\/\?limit=2>; rel="previous"; results="false", <https:\/\/glitchtip\.example\.com\/api\/0\/organizations\/acme\/issues\/\?cursor=[^>]+>; rel="next"; results="true"; cursor="[A-Za-z0-9+/=]+"'\}$/);
    const cursor = /cursor="([^"]+)"/.exec(link)![1]!;
    const second = await call('GET', `/api/0/organizations/acme/issues/?limit=2&cursor=${encodeURIComponent(cursor)}`);
    expect((second.json as unknown[]).length).toBe(1);
    expect(second.headers.get('link')).toMatch(/rel="next"; results="false"'\}$/);
  });

  it.each([
    ['absent', '', 50],
    ['0 means the default', 'limit=0', 50],
    ['clamped to 100', 'limit=500', 100],
    ['as given', 'limit=7', 7],
  ])('limit %s', async (_name, query, expected) => {
    for (let index = 0; index < 120; index += 1) fake.seedIssue();
    const answer = await call('GET', `/api/0/organizations/acme/issues/?${query}`);
    expect((answer.json as unknown[]).length).toBe(expected);
  });

  it.each([
    ['a Sentry sort value', 'sort=date'],
    ['an unknown sort', 'sort=-users'],
    ['a non-integer limit', 'limit=ten'],
    ['a negative limit', 'limit=-1'],
    ['a project slug instead of an id', 'project=backend'],
    ['an unreadable start', 'start=yesterday'],
    ['a cursor the server never made', 'cursor=%21%21'],
  ])('422 for %s', async (_name, query) => {
    const answer = await call('GET', `/api/0/organizations/acme/issues/?${query}`);
    expect(answer.status).toBe(422);
    expect((answer.json as { detail: unknown[] }).detail.length).toBeGreaterThan(0);
  });

  it('500 for an unbalanced quote in the query, as shlex.split raises', async () => {
    const answer = await call('GET', `/api/0/organizations/acme/issues/?query=${encodeURIComponent('title:"open')}`);
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('filters by query, environment, project and first-seen window (relative start)', async () => {
    const recent = fake.seedIssue({ title: 'TimeoutError: upstream timed out', level: 'warning', tags: { environment: 'production' }, firstSeen: new Date(now.getTime() - 5 * 60_000) });
    const old = fake.seedIssue({ title: 'KeyError: id', tags: { environment: 'staging' }, firstSeen: new Date(now.getTime() - 60 * 60_000), status: 'resolved' });
    const other = fake.seedIssue({ project: 'frontend', title: 'TypeError: x is undefined', tags: { environment: 'production' } });
    const ids = async (query: string) =>
      ((await call('GET', `/api/0/organizations/acme/issues/?${query}`)).json as Array<{ id: string }>).map((issue) => Number(issue.id)).sort();
    expect(await ids('start=now-15m')).toEqual([recent.id, other.id].sort());
    expect(await ids(`end=${encodeURIComponent(new Date(now.getTime() - 30 * 60_000).toISOString())}`)).toEqual([old.id]);
    expect(await ids('query=is%3Aresolved')).toEqual([old.id]);
    expect(await ids('query=level%3Awarning+environment%3Aproduction')).toEqual([recent.id]);
    expect(await ids('environment=production')).toEqual([recent.id, other.id].sort());
    expect(await ids(`project=${other.project.id}`)).toEqual([other.id]);
    expect(await ids('query=upstream+timed')).toEqual([recent.id]);
    expect(await ids('query=is%3Aassigned')).toEqual([]);
  });

  it('finds an issue by event id and marks matchingEventId', async () => {
    const issue = fake.seedIssue();
    fake.seedIssue();
    const event = fake.seedEvent(issue.id, { eventId: '9f1c2a7e-5b7d-4c0e-8a1f-2b3c4d5e6f70' });
    const answer = await call('GET', '/api/0/organizations/acme/issues/?query=9f1c2a7e-5b7d-4c0e-8a1f-2b3c4d5e6f70');
    expect(answer.headers.get('x-sentry-direct-hit')).toBe('1');
    expect(answer.json).toEqual([expect.objectContaining({ id: String(issue.id), matchingEventId: event.eventID })]);
  });

  it('an unknown organization sees no issues (querysets filter on membership)', async () => {
    fake.seedIssue();
    const answer = await call('GET', '/api/0/organizations/other/issues/');
    expect([answer.status, answer.json]).toEqual([200, []]);
  });
});

describe('writes', () => {
  it.each([
    ["Sentry's {text} body", { text: 'hi' }],
    ['an extra key inside data', { data: { text: 'hi', mentions: [] } }],
    ['a non-string text', { data: { text: 5 } }],
    ['an empty data object', { data: {} }],
    ['data as a string', { data: 'hi' }],
    ['a JSON array', [{ data: { text: 'hi' } }]],
  ])('422 for a comment with %s', async (_name, body) => {
    const issue = fake.seedIssue();
    const answer = await call('POST', `/api/0/issues/${issue.id}/comments/`, { body });
    expect(answer.status).toBe(422);
    expect(fake.comments).toEqual([]);
  });

  it('400 for a body that is not JSON', async () => {
    const issue = fake.seedIssue();
    const answer = await call('POST', `/api/0/issues/${issue.id}/comments/`, { rawBody: 'text=hi' });
    expect([answer.status, answer.json]).toEqual([400, { detail: 'Cannot parse request body' }]);
  });

  it('201 with the contract shape for {"data":{"text"}} and the comment is readable back', async () => {
    const issue = fake.seedIssue();
    const answer = await call('POST', `/api/0/issues/${issue.id}/comments/`, { body: { data: { text: 'Linked to OPS-123' } } });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({ id: 1, data: { text: 'Linked to OPS-123' }, type: 'note', dateCreated: now.toISOString(), user: { id: '5', email: 'ops-bot@example.com' } });
    expect(fake.commentsOf(issue.id).map((comment) => comment.text)).toEqual(['Linked to OPS-123']);
  });

  it('DELETE a comment needs event:admin, answers 204 with no body, then 404', async () => {
    const issue = fake.seedIssue();
    const comment = (await call('POST', `/api/0/issues/${issue.id}/comments/`, { body: { data: { text: 'x' } } })).json as { id: number };
    const path = `/api/0/issues/${issue.id}/comments/${comment.id}/`;
    expect((await call('DELETE', path)).status).toBe(403);
    fake.setScopes(['event:admin']);
    const deleted = await call('DELETE', path);
    expect([deleted.status, deleted.text]).toEqual([204, '']);
    expect(fake.commentsOf(issue.id)).toEqual([]);
    expect((await call('DELETE', path)).status).toBe(404);
  });

  it('the single-issue PUT answers in snake_case', async () => {
    const issue = fake.seedIssue();
    const answer = await call('PUT', `/api/0/issues/${issue.id}/`, { body: { status: 'resolved' } });
    const body = answer.json as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'resolved', share_id: null, status_details: {}, subscription_details: null, user_count: 0, matching_event_id: null, shortId: 'BACKEND-1', firstSeen: expect.any(String) });
    expect(Object.keys(body)).not.toContain('shareId');
    expect(fake.statuses[String(issue.id)]).toBe('resolved');
  });

  it.each([
    ['an unknown status', { status: 'muted' }, 422],
    ['resolvedInNextRelease', { status: 'resolvedInNextRelease' }, 422],
    ['no status (NOT NULL column)', { assignedTo: 'me' }, 500],
  ])('single PUT with %s -> %i', async (_name, body, status) => {
    const issue = fake.seedIssue();
    expect((await call('PUT', `/api/0/issues/${issue.id}/`, { body })).status).toBe(status);
    expect(fake.statuses[String(issue.id)]).toBe('unresolved');
  });

  it('bulk PUT updates only the given ids and echoes the body', async () => {
    const [a, b, c] = [fake.seedIssue(), fake.seedIssue(), fake.seedIssue()];
    const answer = await call('PUT', `/api/0/organizations/acme/issues/?id=${a.id}&id=${b.id}`, { body: { status: 'ignored' } });
    expect(answer.json).toEqual({ status: 'ignored', merge: null });
    expect([a, b, c].map((issue) => fake.statuses[String(issue.id)])).toEqual(['ignored', 'ignored', 'unresolved']);
  });

  it('bulk PUT with no id or filter updates every issue, like the real server', async () => {
    const issues = [fake.seedIssue(), fake.seedIssue(), fake.seedIssue()];
    await call('PUT', '/api/0/organizations/acme/issues/', { body: { status: 'resolved' } });
    expect(issues.map((issue) => fake.statuses[String(issue.id)])).toEqual(['resolved', 'resolved', 'resolved']);
  });
});

describe('events, tags and stats', () => {
  it('stores SDK frames the way GlitchTip serves them', async () => {
    const issue = fake.seedIssue();
    fake.seedEvent(issue.id, {
      exceptions: [{ type: 'ValueError', value: 'bad', frames: [{ filename: 'app/a.py', lineno: 10, colno: 2, in_app: true, context_line: 'x = 1', pre_context: ['a', 'b'], post_context: ['c'], vars: { x: '1' }, package: null }] }],
    });
    const answer = await call('GET', `/api/0/issues/${issue.id}/events/latest/`);
    const body = answer.json as { projectID: unknown; entries: Array<{ type: string; data: { values: Array<{ stacktrace: { frames: unknown[] } }> } }> };
    expect(body.projectID).toBe(1);
    expect(body.entries[0]!.data.values[0]!.stacktrace.frames[0]).toEqual({
      filename: 'app/a.py',
      context_line: 'x = 1',
      vars: { x: '1' },
      inApp: true,
      absPath: 'app/a.py',
      lineNo: 10,
      colNo: 2,
      context: [[8, 'a'], [9, 'b'], [10, 'x = 1'], [11, 'c']],
    });
  });

  it('a new event bumps count and last seen and regresses a resolved issue', async () => {
    const issue = fake.seedIssue({ status: 'resolved', count: 3, lastSeen: new Date('2025-06-19T10:00:00Z') });
    fake.recordNewEvent(issue.id, { tags: { environment: 'production' } });
    const body = (await call('GET', `/api/0/issues/${issue.id}/`)).json as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'unresolved', count: '4', lastSeen: now.toISOString() });
  });

  it('tags: every value by count, or one key', async () => {
    const issue = fake.seedIssue({ tags: { environment: { staging: 7, production: 50 }, server_name: 'web-01' } });
    const all = (await call('GET', `/api/0/issues/${issue.id}/tags/`)).json as Array<{ key: string; topValues: Array<{ value: string }> }>;
    expect(all.map((tag) => tag.key)).toEqual(['environment', 'server_name']);
    expect(all[0]!.topValues.map((value) => value.value)).toEqual(['production', 'staging']);
    const one = (await call('GET', `/api/0/issues/${issue.id}/tags/?key=server_name`)).json as unknown[];
    expect(one).toHaveLength(1);
  });

  it('issues-stats: hourly series with +00:00 dates, 422 for a bad period or no groups', async () => {
    const issue = fake.seedIssue({ count: 13, firstSeen: new Date('2025-06-19T08:00:00Z'), hourly: [[new Date('2025-06-19T10:15:00Z'), 4], [new Date('2025-06-19T11:00:00Z'), 9], [new Date('2025-06-10T11:00:00Z'), 2]] });
    const answer = await call('GET', `/api/0/organizations/acme/issues-stats/?groups=${issue.id}&statsPeriod=24h`);
    expect(answer.json).toEqual([
      {
        id: String(issue.id),
        count: '13',
        userCount: 13,
        firstSeen: '2025-06-19T08:00:00.000000+00:00',
        lastSeen: '2025-06-19T12:00:00.000000+00:00',
        isUnhandled: false,
        stats: { '24h': [[Date.parse('2025-06-19T10:00:00Z') / 1000, 4], [Date.parse('2025-06-19T11:00:00Z') / 1000, 9]], '14d': null },
      },
    ]);
    const daily = (await call('GET', `/api/0/organizations/acme/issues-stats/?groups=${issue.id}&statsPeriod=14d`)).json as Array<{ stats: Record<string, unknown> }>;
    expect(daily[0]!.stats).toEqual({ '24h': null, '14d': [[Date.parse('2025-06-10T00:00:00Z') / 1000, 2], [Date.parse('2025-06-19T00:00:00Z') / 1000, 13]] });
    expect((await call('GET', `/api/0/organizations/acme/issues-stats/?groups=${issue.id}&statsPeriod=7d`)).status).toBe(422);
    expect((await call('GET', '/api/0/organizations/acme/issues-stats/')).status).toBe(422);
  });

  it('stats_v2 reproduces the contract example: end rounded up to the next hour, null buckets', async () => {
    fake.seedIssue({ hourly: [[new Date('2025-06-19T00:00:00Z'), 12], [new Date('2025-06-19T02:00:00Z'), 3]] });
    fake.seedIssue({ hourly: [[new Date('2025-06-19T03:00:00Z'), 40]] });
    const answer = await call('GET', '/api/0/organizations/acme/stats_v2/?category=error&field=sum(quantity)&interval=1h&start=2025-06-19T00:00:00Z&end=2025-06-19T03:00:00Z&project=1');
    expect(answer.json).toEqual({
      intervals: ['2025-06-19T00:00:00+00:00', '2025-06-19T01:00:00+00:00', '2025-06-19T02:00:00+00:00', '2025-06-19T03:00:00+00:00', '2025-06-19T04:00:00+00:00'],
      groups: [{ series: { 'sum(quantity)': [12, null, 3, 40, null] } }],
    });
  });

  it.each([
    ['a relative start', 'category=error&field=sum(quantity)&start=now-1h&end=2025-06-19T03:00:00Z'],
    ['no category', 'field=sum(quantity)&start=2025-06-19T00:00:00Z&end=2025-06-19T03:00:00Z'],
    ['an unknown field', 'category=error&field=count()&start=2025-06-19T00:00:00Z&end=2025-06-19T03:00:00Z'],
    ['an unknown interval', 'category=error&field=sum(quantity)&interval=5m&start=2025-06-19T00:00:00Z&end=2025-06-19T03:00:00Z'],
    ['too many intervals', 'category=error&field=sum(quantity)&interval=1m&start=2025-06-18T00:00:00Z&end=2025-06-19T03:00:00Z'],
  ])('stats_v2: 422 for %s', async (_name, query) => {
    expect((await call('GET', `/api/0/organizations/acme/stats_v2/?${query}`)).status).toBe(422);
  });
});

describe('injections and bookkeeping', () => {
  it('failNext answers an HTML 5xx, then the next request is normal', async () => {
    fake.inject.failNext(1, 502);
    const failed = await call('GET', '/api/0/organizations/');
    expect([failed.status, failed.headers.get('content-type')]).toEqual([502, 'text/html; charset=utf-8']);
    expect((await call('GET', '/api/0/organizations/')).status).toBe(200);
    expect(fake.requests.map((request) => [request.status, request.injected])).toEqual([[502, 'failure'], [200, undefined]]);
  });

  it('rateLimitNext answers 429 with Retry-After', async () => {
    fake.inject.rateLimitNext(1, 7);
    const answer = await call('GET', '/api/0/organizations/');
    expect([answer.status, answer.headers.get('retry-after')]).toEqual([429, '7']);
  });

  it('timeoutNext holds the request until the client gives up', async () => {
    fake.inject.timeoutNext(1);
    await expect(fetch(`${fake.url}/api/0/organizations/`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(fake.requests[0]!.injected).toBe('timeout');
    expect(fake.requests[0]!.status).toBeUndefined();
  });

  it('measures requests in flight at once', async () => {
    fake.inject.slow(50);
    await Promise.all([call('GET', '/api/0/'), call('GET', '/api/0/'), call('GET', '/api/0/')]);
    expect(fake.maxInFlight).toBe(3);
    await waitFor(() => fake.inFlight === 0, { what: 'responses closed' });
    fake.reset();
    expect(fake.maxInFlight).toBe(0);
  });

  it('reset forgets data, requests and scopes', async () => {
    fake.seedIssue();
    fake.setScopes([]);
    await call('GET', '/api/0/');
    fake.reset();
    expect([fake.issues, fake.requests, fake.comments]).toEqual([[], [], []]);
    expect((await call('GET', '/api/0/organizations/')).status).toBe(200);
  });
});
