import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, eq } from 'drizzle-orm';
import { loadConfig } from '@triage/config';
import { auditLog, connectDatabase, type DatabaseHandle } from '@triage/db';
import { GlitchTipClient } from '@triage/glitchtip';
import { finishRun, reportMarker, startRun } from '@triage/investigation';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection, createWorkerConnection } from '@triage/queue';
import { ChatPacer } from '@triage/telegram';
import { clearPrefix, createGlitchTipFake, createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@triage/testing';
import type { WorkerDeps } from '../worker-deps';
import { publishReport } from './publish-report';

// publishReport in-process against the strict GlitchTip fake, real Redis and Postgres.
describe('publishReport', () => {
  const apiToken = 'p'.repeat(64);
  const prefix = uniquePrefix('pub');
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'] });
  const logger = createLogger({ name: 'publish-report-test', level: 'silent', pretty: false });
  const redis = createWorkerConnection(testRedisUrl());
  const producerConnection = createProducerConnection(testRedisUrl());
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let deps: WorkerDeps;
  const report = (issueId: string, findingsHash: string, body: string) => ({ issueId, findingsHash, requestedBy: 'test', text: `${reportMarker(issueId, findingsHash)}\n${body}` });

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
    await glitchtip.start();
    deps = {
      config: loadConfig({ QUEUE_PREFIX: prefix, GLITCHTIP_BASE_URL: glitchtip.url, GLITCHTIP_API_TOKEN: apiToken, GLITCHTIP_ORG: 'acme' }),
      db: handle.db,
      redis,
      producer: new Producer({ connection: producerConnection, prefix }),
      glitchtip: new GlitchTipClient({ baseUrl: glitchtip.url, token: apiToken, org: 'acme', logger, timeoutMs: 10_000, retries: 0 }),
      telegram: undefined,
      pacer: new ChatPacer({ redis, prefix }),
      routes: [],
      handledQueues: new Set(),
    };
  });

  afterAll(async () => {
    await deps.producer.close();
    await clearPrefix(testRedisUrl(), prefix);
    producerConnection.disconnect();
    redis.disconnect();
    await handle.close();
    await database.drop();
    await glitchtip.stop();
  });

  it('two runs of one issue on different events publishing at once leave one comment', async () => {
    glitchtip.seedIssue({ id: 4101, title: 'TypeError: pool is closed', project: 'backend' });
    // A slow GlitchTip keeps both runs between "no comment yet" and their POST at the same time.
    glitchtip.inject.slow(300);
    try {
      const outcomes = await Promise.all([
        publishReport(deps, report('4101', 'aaaaaaaa11', 'from the automatic run on event A'), logger),
        publishReport(deps, report('4101', 'bbbbbbbb22', 'from the button press on event B'), logger),
      ]);
      expect(outcomes.map((outcome) => outcome.result).sort()).toEqual(['edited', 'posted']);
    } finally {
      glitchtip.inject.slow(0);
    }
    expect(glitchtip.commentsOf(4101)).toHaveLength(1);
    expect(await redis.keys(`${prefix}:investigation:publishing:*`)).toEqual([]);
  });

  it('audits the edit of a marked comment found after the recorded one is gone', async () => {
    glitchtip.seedIssue({ id: 4102, title: 'TypeError: pool is closed', project: 'backend' });
    // A recorded comment someone deleted in GlitchTip, and a marked one a crashed run left behind.
    const runId = await startRun(deps.db, { issueId: '4102', eventId: null, requestedBy: 'test' });
    await finishRun(deps.db, runId, { status: 'done', summary: 's', result: null, durationMs: 1, timings: {}, timedOutStep: null, fromCache: false, reportHash: 'cccccccc33', commentId: '999999' });
    const marked = glitchtip.addComment(4102, `${reportMarker('4102', 'dddddddd44')}\nleft by a crashed run`);
    const outcome = await publishReport(deps, report('4102', 'eeeeeeee55', 'new findings'), logger);
    expect(outcome).toEqual({ result: 'edited', commentId: String(marked.id) });
    expect(glitchtip.commentsOf(4102)).toHaveLength(1);
    const audits = await deps.db.select().from(auditLog).where(and(eq(auditLog.issueId, '4102'), eq(auditLog.action, 'investigation.comment-edit')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ result: 'ok', details: expect.objectContaining({ commentId: String(marked.id), findingsHash: 'eeeeeeee55' }) });
  });
});
