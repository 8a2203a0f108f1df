import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { GlitchTipClient } from '@triage/glitchtip';
import { createLogger } from '@triage/logger';
import { clearPrefix, createGlitchTipFake, testRedisUrl, uniquePrefix } from '@triage/testing';
import { findSimilarIssues, refreshSimilarIndex } from './similar-index';
import { signatureOf } from './similarity';

describe('similar issues index', () => {
  const token = 's'.repeat(64);
  const glitchtip = createGlitchTipFake({ token, scopes: ['event:read', 'org:read'] });
  const prefix = uniquePrefix('sim');
  const redis = new Redis(testRedisUrl());
  let client: GlitchTipClient;
  const frame = (module: string, fn: string) => ({ filename: `${module.replace(/\./g, '/')}.py`, module, function: fn, lineno: 3, in_app: true });

  beforeAll(async () => {
    await glitchtip.start();
    client = new GlitchTipClient({ baseUrl: glitchtip.url, token, org: 'acme', logger: createLogger({ name: 'test', level: 'silent' }), retries: 0 });
    glitchtip.seedIssue({ id: 10, title: "KeyError: 'account'", status: 'resolved' });
    glitchtip.seedEvent(10, { exceptions: [{ type: 'KeyError', value: "'account'", frames: [frame('app.db', 'lookup'), frame('app.views', 'profile')] }] });
    glitchtip.addComment(10, 'Fixed: the session now carries the account id (commit 1a2b3c).');
    glitchtip.seedIssue({ id: 11, title: 'KeyError: user_id missing in session', status: 'ignored' });
    glitchtip.seedEvent(11, { exceptions: [{ type: 'KeyError', value: 'user_id missing in session', frames: [frame('billing.tasks', 'charge')] }] });
    glitchtip.seedIssue({ id: 12, title: 'ZeroDivisionError: division by zero', status: 'resolved' });
    glitchtip.seedEvent(12, { exceptions: [{ type: 'ZeroDivisionError', value: 'division by zero', frames: [frame('app.math', 'avg')] }] });
    glitchtip.seedIssue({ id: 13, title: 'KeyError: still open', status: 'unresolved' });
  });

  afterAll(async () => {
    await glitchtip.stop();
    await clearPrefix(testRedisUrl(), prefix);
    redis.disconnect();
  });

  it('ranks by type, frames and message, quotes people\'s comments, and does not list every issue on each query', async () => {
    const signature = signatureOf('KeyError', 'user_id missing in session', [
      { path: 'app/db.py', absPath: null, module: 'app.db', function: 'lookup', lineNo: 3, colNo: null, inApp: true, contextLine: null },
      { path: 'app/views.py', absPath: null, module: 'app.views', function: 'profile', lineNo: 9, colNo: null, inApp: true, contextLine: null },
    ]);
    const deps = { redis, prefix, glitchtip: client };
    const similar = await findSimilarIssues(deps, '99', signature);
    expect(similar.map((item) => [item.issueId, item.status])).toEqual([['10', 'resolved'], ['11', 'ignored']]);
    expect(similar[0]!.comments).toEqual(['Fixed: the session now carries the account id (commit 1a2b3c).']);
    expect(similar[0]!.because).toContain('same exception type');
    const lists = () => glitchtip.requests.filter((request) => request.path === '/api/0/organizations/acme/issues/').length;
    const listed = lists();
    expect(listed).toBe(2);
    await findSimilarIssues(deps, '99', signature);
    expect(lists()).toBe(listed);
    expect(await refreshSimilarIndex(deps)).toEqual({ added: 0, skipped: true });
  });

  it('drops an indexed issue that was reopened since, and shows the current way the others were closed', async () => {
    glitchtip.recordNewEvent(10);
    const reopened = glitchtip.issue(10)!;
    expect(reopened.status).toBe('unresolved');
    const signature = signatureOf('KeyError', 'user_id missing in session', [
      { path: 'app/db.py', absPath: null, module: 'app.db', function: 'lookup', lineNo: 3, colNo: null, inApp: true, contextLine: null },
    ]);
    const similar = await findSimilarIssues({ redis, prefix, glitchtip: client }, '99', signature);
    expect(similar.map((item) => item.issueId)).toEqual(['11']);
    expect(await redis.hexists(`${prefix}:investigation:similar:index`, '10')).toBe(0);
  });
});

describe('similar issues index over many closed issues', () => {
  const token = 'm'.repeat(64);
  const glitchtip = createGlitchTipFake({ token, scopes: ['event:read', 'org:read'] });
  const prefix = uniquePrefix('simpage');
  const redis = new Redis(testRedisUrl());
  const closed = 130;

  beforeAll(async () => {
    await glitchtip.start();
    // 130 resolved issues; the oldest (last seen longest ago) is the one like the crash, on the second page.
    for (let index = 0; index < closed; index += 1) {
      const lastSeen = new Date(Date.parse('2026-01-01T00:00:00Z') + index * 3_600_000).toISOString();
      const title = index === 0 ? 'LedgerMismatch: ledger totals differ after rounding' : `Fault${index}: unrelated failure number ${index}`;
      glitchtip.seedIssue({ id: 5000 + index, title, status: 'resolved', firstSeen: '2025-12-01T00:00:00Z', lastSeen });
    }
  });

  afterAll(async () => {
    await glitchtip.stop();
    await clearPrefix(testRedisUrl(), prefix);
    redis.disconnect();
  });

  it('walks one older page per refresh until the end, then reads only the newest page', async () => {
    const client = new GlitchTipClient({ baseUrl: glitchtip.url, token, org: 'acme', logger: createLogger({ name: 'test', level: 'silent' }), retries: 0 });
    const deps = { redis, prefix, glitchtip: client };
    const refresh = async () => {
      await redis.del(`${prefix}:investigation:similar:refreshed`);
      return refreshSimilarIndex(deps);
    };
    let refreshes = 0;
    while (refreshes < 20 && (await redis.hlen(`${prefix}:investigation:similar:index`)) < closed) {
      await refresh();
      refreshes += 1;
    }
    expect(await redis.hlen(`${prefix}:investigation:similar:index`)).toBe(closed);
    const signature = signatureOf('LedgerMismatch', 'ledger totals differ after rounding', []);
    const similar = await findSimilarIssues(deps, '1', signature);
    expect(similar.map((item) => item.issueId)).toContain('5000');

    // The walk is done: a refresh lists the newest page of each status and nothing older.
    await refresh();
    const lists = glitchtip.requests.filter((request) => request.path === '/api/0/organizations/acme/issues/');
    const before = lists.length;
    await refresh();
    const after = glitchtip.requests.filter((request) => request.path === '/api/0/organizations/acme/issues/').slice(before);
    expect(after.map((request) => request.query.has('cursor'))).toEqual([false, false]);
  });
});
