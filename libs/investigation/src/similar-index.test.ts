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
