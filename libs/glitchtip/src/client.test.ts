import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import crypto from 'node:crypto';
import { inspect } from 'node:util';
import { createLogger } from '@triage/logger';
import { createGlitchTipFake, waitFor } from '@triage/testing';
import { GlitchTipClient, type GlitchTipClientOptions } from './client';
import { CircuitOpenError, GlitchTipHttpError, GlitchTipNetworkError, IntegrationDisabledError, RefusedRequestError } from './errors';
import { extractFrames } from './frames';
import { triageRequiredScopes } from './scopes';
import type { BreakerState } from './circuit-breaker';

const token = crypto.randomBytes(32).toString('hex');
const fake = createGlitchTipFake({ token, scopes: ['event:read', 'event:write', 'org:read'], org: 'acme' });

interface LogLine {
  msg: string;
  [key: string]: unknown;
}

let logLines: string[] = [];

function makeClient(overrides: Partial<GlitchTipClientOptions> = {}): GlitchTipClient {
  const logger = createLogger({ name: 'glitchtip-test', level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  return new GlitchTipClient({
    baseUrl: fake.url,
    token,
    org: 'acme',
    logger,
    timeoutMs: 2_000,
    retries: 3,
    backoff: { baseMs: 5, maxMs: 20 },
    rateLimit: { perSecond: 1_000, concurrency: 4 },
    ...overrides,
  });
}

const logs = (): LogLine[] => logLines.map((line) => JSON.parse(line) as LogLine);
const requestsTo = (method: string, path: string) => fake.requests.filter((request) => request.method === method && request.path === path);

beforeAll(async () => {
  await fake.start();
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
  logLines = [];
});

describe('retries', () => {
  it('retries a 5xx with backoff and succeeds', async () => {
    const issue = fake.seedIssue({ title: 'ZeroDivisionError: division by zero', count: 57 });
    fake.inject.failNext(2, 503);
    const fetched = await makeClient().getIssue(issue.id);
    expect(fetched.count).toBe(57);
    expect(requestsTo('GET', `/api/0/issues/${issue.id}/`)).toHaveLength(3);
    const retries = logs().filter((line) => line.msg === 'glitchtip request failed, retrying');
    expect(retries.map((line) => line.reason)).toEqual(['503', '503']);
  });

  it('gives up after the configured retries with a typed error carrying the status', async () => {
    const issue = fake.seedIssue();
    fake.inject.failNext(10, 500);
    const failure = await makeClient({ retries: 2 }).getIssue(issue.id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GlitchTipHttpError);
    expect((failure as GlitchTipHttpError).status).toBe(500);
    expect(requestsTo('GET', `/api/0/issues/${issue.id}/`)).toHaveLength(3);
  });

  it.each([
    ['404 for an unknown issue', () => undefined, 404, 'Not Found'],
    ['403 when the token lacks the scope', () => fake.setScopes(['org:read']), 403, 'Permission denied'],
  ])('does not retry %s', async (_name, arrange, status, detail) => {
    arrange();
    const failure = (await makeClient().getIssue(999).catch((error: unknown) => error)) as GlitchTipHttpError;
    expect(failure).toBeInstanceOf(GlitchTipHttpError);
    expect([failure.status, failure.detail]).toEqual([status, detail]);
    expect(failure.message).toContain('GET /api/0/issues/999/');
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a 401 and says the token is the problem', async () => {
    const failure = (await makeClient({ token: 'f'.repeat(64) }).getIssue(1).catch((error: unknown) => error)) as GlitchTipHttpError;
    expect([failure.status, failure.detail]).toEqual([401, 'Unauthorized']);
    expect(failure.message).toMatch(/token/);
    expect(fake.requests).toHaveLength(1);
  });

  it('honours Retry-After on 429', async () => {
    const issue = fake.seedIssue();
    fake.inject.rateLimitNext(1, 1);
    await makeClient().getIssue(issue.id);
    const [first, second] = requestsTo('GET', `/api/0/issues/${issue.id}/`);
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(990);
    expect(logs().find((line) => line.msg === 'glitchtip request failed, retrying')).toMatchObject({ delayMs: 1_000, reason: '429 Retry-After' });
  });

  it('throws a 429 whose Retry-After is longer than it will wait, with retryAfterMs for the caller', async () => {
    const issue = fake.seedIssue();
    fake.inject.rateLimitNext(1, 120);
    const failure = (await makeClient({ maxRetryAfterMs: 5_000 }).getIssue(issue.id).catch((error: unknown) => error)) as GlitchTipHttpError;
    expect([failure.status, failure.retryAfterMs]).toEqual([429, 120_000]);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a read that timed out', async () => {
    const issue = fake.seedIssue();
    fake.inject.timeoutNext(1);
    await makeClient({ timeoutMs: 300 }).getIssue(issue.id);
    expect(requestsTo('GET', `/api/0/issues/${issue.id}/`).map((request) => request.injected ?? request.status)).toEqual(['timeout', 200]);
  });

  it.each([
    ['a timeout', () => fake.inject.timeoutNext(1), GlitchTipNetworkError],
    ['a 502', () => fake.inject.failNext(1, 502), GlitchTipHttpError],
  ])('never re-posts a comment after %s (it may have been stored)', async (_name, inject, errorType) => {
    const issue = fake.seedIssue();
    inject();
    await expect(makeClient({ timeoutMs: 300 }).addComment(issue.id, 'hello')).rejects.toBeInstanceOf(errorType);
    expect(requestsTo('POST', `/api/0/issues/${issue.id}/comments/`)).toHaveLength(1);
  });

  it('re-posts a comment after a 429, which GlitchTip did not process', async () => {
    const issue = fake.seedIssue();
    fake.inject.rateLimitNext(1, 0);
    await makeClient().addComment(issue.id, 'hello');
    expect(fake.commentsOf(issue.id).map((comment) => comment.text)).toEqual(['hello']);
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive failures, rejects without calling, half-opens and closes after a success', async () => {
    const issue = fake.seedIssue();
    const changes: BreakerState[] = [];
    const client = makeClient({ retries: 0, breaker: { failureThreshold: 3, resetAfterMs: 200 }, onBreakerChange: (state) => changes.push(state) });
    fake.inject.failNext(3, 502);
    for (let index = 0; index < 3; index += 1) await expect(client.getIssue(issue.id)).rejects.toBeInstanceOf(GlitchTipHttpError);
    expect(client.breakerState()).toBe('open');

    await expect(client.getIssue(issue.id)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(fake.requests).toHaveLength(3);

    await waitFor(() => client.breakerState() === 'half-open', { what: 'breaker half-open' });
    await expect(client.getIssue(issue.id)).resolves.toMatchObject({ id: String(issue.id) });
    expect(client.breakerState()).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
    expect(logs().map((line) => line.msg).filter((msg) => msg.startsWith('glitchtip circuit breaker'))).toEqual([
      'glitchtip circuit breaker open',
      'glitchtip circuit breaker half-open',
      'glitchtip circuit breaker closed',
    ]);
  });

  it('counts each failed attempt, including retries, and stops retrying once open', async () => {
    const issue = fake.seedIssue();
    const client = makeClient({ retries: 5, breaker: { failureThreshold: 2, resetAfterMs: 60_000 } });
    fake.inject.failNext(10, 500);
    await expect(client.getIssue(issue.id)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(fake.requests).toHaveLength(2);
  });

  it('stays closed on 4xx answers: the server is up', async () => {
    const client = makeClient({ retries: 0, breaker: { failureThreshold: 2, resetAfterMs: 60_000 } });
    for (let index = 0; index < 4; index += 1) await expect(client.getIssue(404_404)).rejects.toBeInstanceOf(GlitchTipHttpError);
    expect(client.breakerState()).toBe('closed');
  });
});

describe('pagination', () => {
  it('walks every cursor page of a 230-issue list', async () => {
    for (let index = 0; index < 230; index += 1) fake.seedIssue({ lastSeen: new Date(Date.UTC(2025, 5, 19, 0, index)) });
    const client = makeClient();
    const { items, truncated } = await client.listAllIssues({ limit: 100, sort: '-last_seen' });
    expect(items).toHaveLength(230);
    expect(new Set(items.map((issue) => issue.id)).size).toBe(230);
    expect(truncated).toBe(false);
    const pages = requestsTo('GET', '/api/0/organizations/acme/issues/');
    expect(pages.map((request) => request.query.get('limit'))).toEqual(['100', '100', '100']);
    expect(pages[0]!.query.has('cursor')).toBe(false);
    expect(pages.slice(1).every((request) => request.query.has('cursor'))).toBe(true);
    // newest first, across page boundaries
    const lastSeen = items.map((issue) => Date.parse(issue.lastSeen));
    expect(lastSeen).toEqual([...lastSeen].sort((a, b) => b - a));
  });

  it('reports truncation when maxPages stops the walk, and one page carries the cursor and X-Hits', async () => {
    for (let index = 0; index < 230; index += 1) fake.seedIssue();
    const client = makeClient();
    const { items, truncated } = await client.listAllIssues({ limit: 100 }, { maxPages: 2 });
    expect([items.length, truncated]).toEqual([200, true]);
    const page = await client.listIssues({ limit: 100 });
    expect(page.hits).toBe(230);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('iterateIssues yields issues one by one across pages', async () => {
    for (let index = 0; index < 5; index += 1) fake.seedIssue({ status: index % 2 === 0 ? 'unresolved' : 'resolved' });
    const seen: string[] = [];
    for await (const issue of makeClient().iterateIssues({ limit: 2, query: 'is:unresolved' })) seen.push(issue.id);
    expect(seen).toHaveLength(3);
    expect(requestsTo('GET', '/api/0/organizations/acme/issues/')).toHaveLength(2);
  });

  it.each([101, 0, 2.5])('refuses limit %p before sending anything', async (limit) => {
    await expect(makeClient().listIssues({ limit })).rejects.toBeInstanceOf(RefusedRequestError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('rate limiting', () => {
  it('never has more requests in flight at GlitchTip than its concurrency', async () => {
    const issue = fake.seedIssue();
    fake.inject.slow(30);
    const client = makeClient({ rateLimit: { perSecond: 20, concurrency: 2 } });
    await Promise.all(Array.from({ length: 8 }, () => client.getIssue(issue.id)));
    expect(fake.requests).toHaveLength(8);
    expect(fake.maxInFlight).toBe(2);
  });

  it('spaces requests beyond the burst by the token rate', async () => {
    const issue = fake.seedIssue();
    const client = makeClient({ rateLimit: { perSecond: 5, concurrency: 5 } });
    await Promise.all(Array.from({ length: 7 }, () => client.getIssue(issue.id)));
    const arrivals = fake.requests.map((request) => request.receivedAt).sort((a, b) => a - b);
    // Five tokens at once, then one every 200 ms: the 7th cannot arrive before ~400 ms after the first.
    expect(arrivals[6]! - arrivals[0]!).toBeGreaterThanOrEqual(380);
  });
});

describe('dry run and the integration switch', () => {
  it('dryRun sends no write, logs what it would have sent and still reads', async () => {
    const issue = fake.seedIssue();
    const client = makeClient({ dryRun: true });
    const comment = await client.addComment(issue.id, 'Linked to OPS-123');
    const status = await client.updateIssueStatus(issue.id, 'resolved');
    const bulk = await client.bulkUpdateStatus([issue.id], 'ignored');
    expect(comment).toEqual({ dryRun: true, wouldSend: { method: 'POST', path: `/api/0/issues/${issue.id}/comments/`, body: { data: { text: 'Linked to OPS-123' } } } });
    expect(status).toEqual({ dryRun: true, wouldSend: { method: 'PUT', path: `/api/0/issues/${issue.id}/`, body: { status: 'resolved' } } });
    expect(bulk).toEqual({ dryRun: true, wouldSend: { method: 'PUT', path: `/api/0/organizations/acme/issues/?id=${issue.id}`, body: { status: 'ignored' } } });
    expect(fake.requests).toHaveLength(0);
    expect(fake.statuses[String(issue.id)]).toBe('unresolved');
    expect(fake.comments).toEqual([]);
    const dryRunLogs = logs().filter((line) => line.msg === 'glitchtip dry run: write not sent');
    expect(dryRunLogs.map((line) => line.body)).toEqual([{ data: { text: 'Linked to OPS-123' } }, { status: 'resolved' }, { status: 'ignored' }]);

    await expect(client.getIssue(issue.id)).resolves.toMatchObject({ status: 'unresolved' });
    expect(fake.requests.map((request) => request.method)).toEqual(['GET']);
  });

  it('integrationEnabled=false sends nothing at all, reads included', async () => {
    const issue = fake.seedIssue();
    const client = makeClient({ integrationEnabled: false, org: undefined });
    const calls: Array<() => Promise<unknown>> = [
      () => client.getRoot(),
      () => client.validateToken(['event:read']),
      () => client.listOrganizations(),
      () => client.resolveOrg(),
      () => client.listIssues(),
      () => client.getIssue(issue.id),
      () => client.getLatestEvent(issue.id),
      () => client.getIssueTags(issue.id),
      () => client.listComments(issue.id),
      () => client.addComment(issue.id, 'x'),
      () => client.updateIssueStatus(issue.id, 'resolved'),
      () => client.bulkUpdateStatus([issue.id], 'resolved', 'acme'),
      () => client.getIssuesStats([issue.id], '24h', 'acme'),
      () => client.getStatsV2({ org: 'acme', start: new Date(0), end: new Date(3_600_000), category: 'error', field: 'sum(quantity)' }),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(IntegrationDisabledError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('listProjectAlerts', () => {
  it('reads a project\'s alert rules (project:read), and is refused without that scope', async () => {
    fake.setScopes(['event:read', 'project:read']);
    fake.seedProjectAlert('backend', { name: 'Page on-call', quantity: 10, timespanMinutes: 5 });
    fake.seedProjectAlert('backend', { name: 'Uptime', quantity: null, timespanMinutes: null, uptime: true });
    const rules = await makeClient().listProjectAlerts('backend', 'acme');
    expect(rules.map(({ name, quantity, timespanMinutes, uptime }) => ({ name, quantity, timespanMinutes, uptime }))).toEqual([
      { name: 'Page on-call', quantity: 10, timespanMinutes: 5, uptime: false },
      { name: 'Uptime', quantity: null, timespanMinutes: null, uptime: true },
    ]);
    expect(fake.requests.at(-1)?.path).toBe('/api/0/projects/acme/backend/alerts/');
    fake.setScopes(['event:read', 'event:write', 'project:write']);
    await expect(makeClient().listProjectAlerts('backend', 'acme')).rejects.toMatchObject({ status: 403 });
  });
});

describe('token validation', () => {
  it('names each missing scope', async () => {
    fake.setScopes(['event:read', 'org:read']);
    const result = await makeClient().validateToken(['event:read', 'event:write', ['event:read', 'event:admin']]);
    expect(result).toEqual({ ok: false, scopes: ['event:read', 'org:read'], missing: ['event:write'], problems: ['the API token lacks scope event:write'] });
  });

  it("accepts a token with everything Triage needs (project:read too: the poller follows the project alert rules)", async () => {
    fake.setScopes(['event:read', 'event:write', 'org:read', 'project:read']);
    await expect(makeClient().validateToken(triageRequiredScopes)).resolves.toMatchObject({ ok: true, missing: [] });
  });

  it('rejects a token shorter than 32 characters without calling GlitchTip', async () => {
    const result = await makeClient({ token: 'short' }).validateToken(['event:read']);
    expect(result.ok).toBe(false);
    expect(result.problems.join(' ')).toMatch(/32/);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports a token GlitchTip does not know (the root answers with auth: null)', async () => {
    const result = await makeClient({ token: 'e'.repeat(64) }).validateToken(['event:read']);
    expect(result).toEqual({ ok: false, scopes: [], missing: ['event:read'], problems: ['GlitchTip did not accept the API token'] });
  });
});

describe('endpoints', () => {
  it('round-trips comments with the {"data":{"text"}} body, newest first', async () => {
    const issue = fake.seedIssue();
    const client = makeClient();
    const created = await client.addComment(issue.id, 'first');
    await client.addComment(issue.id, 'Linked to OPS-123');
    expect(created).toMatchObject({ dryRun: false, result: { data: { text: 'first' }, type: 'note' } });
    expect(requestsTo('POST', `/api/0/issues/${issue.id}/comments/`).map((request) => request.body)).toEqual([
      { data: { text: 'first' } },
      { data: { text: 'Linked to OPS-123' } },
    ]);
    const comments = await client.listComments(issue.id);
    expect(comments.map((comment) => comment.data.text)).toEqual(['Linked to OPS-123', 'first']);
    await expect(client.getIssue(issue.id)).resolves.toMatchObject({ numComments: 2 });
  });

  it('updates one status and reads the snake_case answer', async () => {
    const issue = fake.seedIssue({ count: 4 });
    const outcome = await makeClient().updateIssueStatus(issue.id, 'resolved');
    if (outcome.dryRun) throw new Error('expected a real write');
    expect(outcome.result).toMatchObject({ id: String(issue.id), status: 'resolved', count: 4, userCount: 0, matchingEventId: null });
    expect(fake.statuses[String(issue.id)]).toBe('resolved');
  });

  it('bulk-updates exactly the given ids and refuses an empty list (GlitchTip would update every issue)', async () => {
    const [a, b, c] = [fake.seedIssue(), fake.seedIssue(), fake.seedIssue()];
    const client = makeClient();
    await expect(client.bulkUpdateStatus([], 'resolved')).rejects.toBeInstanceOf(RefusedRequestError);
    expect(fake.requests).toHaveLength(0);
    const outcome = await client.bulkUpdateStatus([a.id, String(b.id), a.id], 'ignored');
    expect(outcome).toEqual({ dryRun: false, result: { ids: [String(a.id), String(b.id)], status: 'ignored' } });
    expect(fake.requests[0]!.query.getAll('id')).toEqual([String(a.id), String(b.id)]);
    expect([fake.statuses[String(a.id)], fake.statuses[String(b.id)], fake.statuses[String(c.id)]]).toEqual(['ignored', 'ignored', 'unresolved']);
  });

  it.each([
    ['a non-numeric id', () => makeClient().getIssue('../organizations')],
    ['an unknown status', () => makeClient().updateIssueStatus(1, 'muted' as never)],
    ['an empty comment', () => makeClient().addComment(1, '  ')],
  ])('refuses %s before sending', async (_name, call) => {
    await expect(call()).rejects.toBeInstanceOf(RefusedRequestError);
    expect(fake.requests).toHaveLength(0);
  });

  it("resolves the org to the token's first organization once", async () => {
    fake.seedIssue();
    const client = makeClient({ org: undefined });
    await client.listIssues();
    await client.listIssues();
    expect(await client.resolveOrg()).toBe('acme');
    expect(requestsTo('GET', '/api/0/organizations/')).toHaveLength(1);
    expect(requestsTo('GET', '/api/0/organizations/acme/issues/')).toHaveLength(2);
  });

  it('reads the latest event and its frames', async () => {
    const issue = fake.seedIssue({ title: 'ZeroDivisionError: division by zero' });
    fake.seedEvent(issue.id, {
      exceptions: [
        {
          type: 'ZeroDivisionError',
          value: 'division by zero',
          frames: [
            { filename: 'django/core/handlers/base.py', function: '_get_response', lineno: 197, in_app: false, context_line: 'x' },
            { filename: 'app/views/reports.py', abs_path: '/srv/app/app/views/reports.py', function: 'compute_ratio', lineno: 88, colno: 5, in_app: true, context_line: '    return total / count', pre_context: ['def compute_ratio(total, count):'], post_context: [''] },
          ],
        },
      ],
      tags: { environment: 'production', release: 'backend@2.4.1' },
    });
    const event = await makeClient().getLatestEvent(issue.id);
    expect(event.groupID).toBe(String(issue.id));
    expect(event.tags).toEqual([{ key: 'environment', value: 'production' }, { key: 'release', value: 'backend@2.4.1' }]);
    expect(extractFrames(event)[1]).toEqual({
      filename: 'app/views/reports.py',
      absPath: '/srv/app/app/views/reports.py',
      function: 'compute_ratio',
      module: null,
      lineNo: 88,
      colNo: 5,
      inApp: true,
      contextLine: '    return total / count',
      context: [
        { lineNo: 87, line: 'def compute_ratio(total, count):' },
        { lineNo: 88, line: '    return total / count' },
        { lineNo: 89, line: '' },
      ],
    });
  });

  it('reads tags, one key at a time if asked', async () => {
    const issue = fake.seedIssue({ count: 57, tags: { environment: { production: 50, staging: 7 }, server_name: 'web-01' } });
    const client = makeClient();
    expect((await client.getIssueTags(issue.id)).map((tag) => tag.key)).toEqual(['environment', 'server_name']);
    const [environment] = await client.getIssueTags(issue.id, 'environment');
    expect(environment).toEqual({
      key: 'environment',
      name: 'environment',
      uniqueValues: 2,
      totalValues: 57,
      topValues: [
        { key: 'environment', name: 'production', value: 'production', count: 50 },
        { key: 'environment', name: 'staging', value: 'staging', count: 7 },
      ],
    });
  });

  it('reads issue stats (count as a number) and stats_v2', async () => {
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600;
    const issue = fake.seedIssue({ count: 13, hourly: [[hour - 3_600, 4], [hour, 9]] });
    const client = makeClient();
    expect(await client.getIssuesStats([], '24h')).toEqual([]);
    const [stats] = await client.getIssuesStats([issue.id], '24h');
    expect(stats).toMatchObject({ id: String(issue.id), count: 13, stats: { '24h': [[hour - 3_600, 4], [hour, 9]], '14d': null } });
    const series = await client.getStatsV2({ start: new Date((hour - 3_600) * 1000), end: new Date(hour * 1000), category: 'error', field: 'sum(quantity)' });
    expect(series.groups[0]!.series['sum(quantity)']).toEqual([4, 9, null]);
  });
});

describe('secrets', () => {
  it('never writes the token to the log, whatever happens', async () => {
    const issue = fake.seedIssue();
    fake.inject.failNext(1, 500);
    fake.inject.rateLimitNext(1, 0);
    const client = makeClient({ retries: 3 });
    await client.getIssue(issue.id);
    await makeClient({ dryRun: true }).addComment(issue.id, 'x');
    await makeClient({ token: `${token.slice(0, 60)}0000` }).getIssue(issue.id).catch(() => undefined);
    expect(logLines.length).toBeGreaterThan(3);
    expect(logLines.join('\n')).not.toContain(token.slice(0, 32));
  });

  it('keeps the token out of network errors, which callers log with their cause', async () => {
    const failure = await makeClient({ baseUrl: 'http://127.0.0.1:1', retries: 0 }).getIssue(1).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GlitchTipNetworkError);
    expect((failure as GlitchTipNetworkError).code).toBe('ECONNREFUSED');
    expect(inspect(failure, { depth: 10 })).not.toContain(token);
    expect(JSON.stringify(failure)).not.toContain(token);
  });
});
