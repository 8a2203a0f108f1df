import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Queue, type Job, type Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { loadConfig } from '@triage/config';
import { sendAlert, type LinkRunbookPayload } from '@triage/contracts';
import { alerts, auditLog, connectDatabase, runbookLinks, type DatabaseHandle } from '@triage/db';
import { GlitchTipClient } from '@triage/glitchtip';
import { createLogger } from '@triage/logger';
import { createProducerConnection, Producer } from '@triage/queue';
import { recordOutcomeEvent } from '@triage/outcomes';
import { ChatPacer } from '@triage/telegram';
import { clearPrefix, createGlitchTipFake, createTestDatabase, repoRoot, testRedisUrl, uniquePrefix, type GlitchTipFake, type TestDatabase } from '@triage/testing';
import type { WorkerDeps } from '../worker-deps';
import { linkRunbookHandler } from './link-runbook.handler';

const apiToken = 'a1b2c3d4'.repeat(8);
const publicUrl = 'https://triage.example.com';

/** The link-runbook handler over real Redis and Postgres and the strict GlitchTip fake, called as the worker calls it. */
describe('link-runbook', () => {
  const log = createLogger({ name: 'link-runbook-test', level: 'silent' });
  const runbooksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-link-runbook-'));
  let glitchtip: GlitchTipFake;
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let redis: Redis;
  let producerConnection: Redis;
  let producer: Producer;
  let sendQueue: Queue;
  let prefix: string;
  let jobCounter = 0;

  function depsWith(env: Record<string, string> = {}, client: Partial<ConstructorParameters<typeof GlitchTipClient>[0]> = {}): WorkerDeps {
    const config = loadConfig({ QUEUE_PREFIX: prefix, GLITCHTIP_BASE_URL: glitchtip.url, GLITCHTIP_API_TOKEN: apiToken, GLITCHTIP_ORG: 'acme', PUBLIC_URL: publicUrl, RUNBOOKS_DIR: runbooksDir, ...env });
    return {
      config,
      db: handle.db,
      redis,
      producer,
      glitchtip: new GlitchTipClient({ baseUrl: glitchtip.url, token: apiToken, org: 'acme', logger: log, retries: 0, dryRun: config.dryRun, integrationEnabled: config.glitchtip.integrationEnabled, timeoutMs: 1_000, ...client }),
      telegram: undefined,
      pacer: new ChatPacer({ redis, prefix }),
      routes: [],
      handledQueues: new Set([sendAlert.name, 'link-runbook']),
    };
  }
  const run = (payload: LinkRunbookPayload, deps = depsWith(), jobId = `job-${(jobCounter += 1)}`) =>
    linkRunbookHandler.handle(payload, { job: { id: jobId } as Job, token: undefined, worker: {} as Worker, log, deps });
  const seedRedisIssue = (id: number, overrides: Parameters<GlitchTipFake['seedIssue']>[0] = {}) => {
    glitchtip.seedIssue({ id, title: 'Error: connect ECONNREFUSED 10.1.2.3:6379', culprit: 'TCPConnectWrap.afterConnect', ...overrides });
    glitchtip.seedEvent(id, { tags: { environment: 'production', component: 'api' } });
  };
  const linkRows = (issueId: string) => handle.db.select().from(runbookLinks).where(eq(runbookLinks.issueId, issueId));

  beforeAll(async () => {
    for (const file of fs.readdirSync(path.join(repoRoot, 'runbooks'))) fs.copyFileSync(path.join(repoRoot, 'runbooks', file), path.join(runbooksDir, file));
    glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'], org: 'acme' });
    await glitchtip.start();
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
  });
  beforeEach(() => {
    glitchtip.reset();
    prefix = uniquePrefix('rb');
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    producerConnection = createProducerConnection(testRedisUrl());
    producer = new Producer({ connection: producerConnection, prefix });
    sendQueue = new Queue(sendAlert.name, { connection: redis, prefix });
  });
  afterEach(async () => {
    await sendQueue.close();
    await producer.close();
    await clearPrefix(testRedisUrl(), prefix);
    producerConnection.disconnect();
    redis.disconnect();
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
    await glitchtip.stop();
    fs.rmSync(runbooksDir, { recursive: true, force: true });
  });

  it('posts one comment with the link and why, records it, audits it, and never posts it again', async () => {
    seedRedisIssue(7001);
    const first = await run({ issueId: '7001' });
    expect(first).toMatchObject({ linked: true, runbook: 'redis-connection-refused', comment: 'posted' });
    const [comment] = glitchtip.commentsOf(7001);
    expect(comment!.text).toContain('📖 Runbook: Redis connection refused or lost');
    expect(comment!.text).toContain(`${publicUrl}/r/redis-connection-refused?issue=7001`);
    expect(comment!.text).toContain('Why: title matches /ECONNREFUSED');
    expect(await linkRows('7001')).toMatchObject([{ runbookPath: 'redis-connection-refused', state: 'posted', commentId: String(comment!.id) }]);
    const audits = await handle.db.select().from(auditLog).where(eq(auditLog.issueId, '7001'));
    expect(audits).toMatchObject([{ action: 'runbook.comment', target: 'glitchtip', result: 'ok', idempotencyKey: 'runbook-comment:7001:redis-connection-refused' }]);

    expect(await run({ issueId: '7001' })).toMatchObject({ linked: true, comment: 'already-posted' });
    expect(glitchtip.commentsOf(7001)).toHaveLength(1);
    // A person deletes the comment: it stays deleted.
    glitchtip.deleteComment(7001, comment!.id);
    expect(await run({ issueId: '7001' })).toMatchObject({ comment: 'already-posted' });
    expect(glitchtip.commentsOf(7001)).toEqual([]);
    expect(glitchtip.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('puts the runbook on the alert and asks send-alert to edit the message, once', async () => {
    seedRedisIssue(7002);
    await handle.db.insert(alerts).values({ issueId: '7002', source: 'webhook', title: 'Error: connect ECONNREFUSED 10.1.2.3:6379' });
    expect(await run({ issueId: '7002' })).toMatchObject({ alertEdited: true });
    const [row] = await handle.db.select({ runbook: alerts.runbook }).from(alerts).where(eq(alerts.issueId, '7002'));
    expect(row!.runbook).toEqual({ name: 'redis-connection-refused', title: 'Redis connection refused or lost', url: `${publicUrl}/r/redis-connection-refused?issue=7002` });
    const edits = await sendQueue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(edits.map((job) => job.data)).toEqual([{ issueId: '7002', reason: 'status', edit: true }]);
    expect(await run({ issueId: '7002' })).toMatchObject({ alertEdited: false });
  });

  it('links nothing when no runbook matches, and says which came close', async () => {
    glitchtip.seedIssue({ id: 7003, title: 'Error: connect ECONNREFUSED 10.0.0.5:8080' });
    expect(await run({ issueId: '7003' })).toEqual({ issueId: '7003', linked: false, candidates: ['redis-connection-refused'] });
    expect(glitchtip.commentsOf(7003)).toEqual([]);
    expect(await linkRows('7003')).toEqual([]);
  });

  it('a retried job whose comment landed but whose answer was lost records it instead of posting twice', async () => {
    seedRedisIssue(7004);
    // What an attempt that died after the POST leaves: a claim, and the comment in GlitchTip.
    const url = `${publicUrl}/r/redis-connection-refused?issue=7004`;
    await handle.db.insert(runbookLinks).values({ issueId: '7004', runbookPath: 'redis-connection-refused', score: 1, state: 'posting', claimedAt: new Date(), claimedBy: 'job:retried' });
    const landed = (await depsWith().glitchtip!.addComment('7004', `📖 Runbook: Redis\n${url}\n\nLinked by Triage [triage-runbook:redis-connection-refused]`)) as { dryRun: false; result: { id: number } };
    // Another job meanwhile sees a live claim and leaves it alone.
    expect(await run({ issueId: '7004' }, depsWith(), 'other')).toMatchObject({ comment: 'busy' });
    expect(await run({ issueId: '7004' }, depsWith(), 'retried')).toMatchObject({ comment: 'found' });
    expect(glitchtip.commentsOf(7004)).toHaveLength(1);
    expect(await linkRows('7004')).toMatchObject([{ state: 'posted', commentId: String(landed.result.id) }]);
  });

  it('keeps the claim when the POST fails with an unknown outcome, and the retry posts exactly once', async () => {
    seedRedisIssue(7005);
    glitchtip.inject.failMatching({ method: 'POST', path: /\/comments\/$/, times: 1, status: 502 });
    await expect(run({ issueId: '7005' }, depsWith(), 'flaky')).rejects.toThrow(/502/);
    expect(await linkRows('7005')).toMatchObject([{ state: 'posting', claimedBy: 'job:flaky' }]);
    expect(await run({ issueId: '7005' }, depsWith(), 'flaky')).toMatchObject({ comment: 'posted' });
    expect(glitchtip.commentsOf(7005)).toHaveLength(1);
  });

  it('gives the claim back and audits the refusal when GlitchTip refuses the comment for good', async () => {
    seedRedisIssue(7006);
    glitchtip.setScopes(['event:read', 'org:read']);
    await expect(run({ issueId: '7006' })).rejects.toThrow(/403/);
    expect(await linkRows('7006')).toEqual([]);
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.issueId, '7006'));
    expect(audit).toMatchObject({ action: 'runbook.comment', result: 'error' });
  });

  it('DRY_RUN posts nothing and records nothing but the would-be write; the switches skip everything', async () => {
    seedRedisIssue(7007);
    expect(await run({ issueId: '7007' }, depsWith({ DRY_RUN: 'true' }))).toMatchObject({ linked: true, comment: 'dry-run' });
    expect(glitchtip.requests.filter((request) => request.method === 'POST')).toEqual([]);
    expect(await linkRows('7007')).toEqual([]);
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.issueId, '7007'));
    expect(audit).toMatchObject({ result: 'dry-run', idempotencyKey: 'runbook-comment:7007:redis-connection-refused:dry-run' });

    const requestsBefore = glitchtip.requests.length;
    expect(await run({ issueId: '7007' }, depsWith({ DISABLE_RUNBOOK_LINKER: 'true' }))).toEqual({ skipped: 'DISABLE_RUNBOOK_LINKER' });
    expect(await run({ issueId: '7007' }, depsWith({ GLITCHTIP_INTEGRATION_ENABLED: 'false' }))).toEqual({ skipped: 'GLITCHTIP_INTEGRATION_ENABLED=false' });
    expect(glitchtip.requests.length).toBe(requestsBefore);
    expect(await run({ issueId: '7007' }, depsWith({ EXPERIMENT_HOLDOUT_PERCENT: '100' }))).toEqual({ skipped: 'EXPERIMENT_HOLDOUT_PERCENT control group' });
    expect(glitchtip.requests.length).toBe(requestsBefore);
    expect(linkRunbookHandler.schedules!(depsWith({ DISABLE_RUNBOOK_LINKER: 'true' }))).toEqual([]);
    expect(linkRunbookHandler.schedules!(depsWith())).toEqual([{ id: 'link-runbook-sweep-hourly-v2', repeat: { pattern: '17 * * * *', tz: 'UTC' }, data: { sweep: true } }]);
  });

  it('the holdout follows the group an issue was first measured in, not only the hash', async () => {
    // Alerted while the holdout was off: its episode recorded the treatment group. Switching the holdout to 100% later
    // must not withhold its runbook, or the review would compare a "treatment" episode that got no help.
    seedRedisIssue(7010);
    await recordOutcomeEvent(handle.db, { type: 'alerted', issueId: '7010', at: new Date(), regression: false, holdoutPercent: 0 });
    expect(await run({ issueId: '7010' }, depsWith({ EXPERIMENT_HOLDOUT_PERCENT: '100' }))).toMatchObject({ linked: true, comment: 'posted' });
    // An issue never alerted before takes the hash: at 100% it is in the control group.
    seedRedisIssue(7011);
    expect(await run({ issueId: '7011' }, depsWith({ EXPERIMENT_HOLDOUT_PERCENT: '100' }))).toEqual({ skipped: 'EXPERIMENT_HOLDOUT_PERCENT control group' });
  });

  it('the hourly sweep links unresolved issues that match and have no link yet, using the event for restrictions', async () => {
    seedRedisIssue(7101);
    // Matches only with the event's exception text (the title alone says nothing).
    glitchtip.seedIssue({ id: 7102, title: 'Unhandled rejection', culprit: 'pg-pool in connect' });
    glitchtip.seedEvent(7102, { exceptions: [{ type: 'Error', value: 'timeout exceeded when trying to connect', frames: [] }] });
    glitchtip.seedIssue({ id: 7103, title: 'Error: sorry, too many clients already', status: 'resolved' });
    glitchtip.seedIssue({ id: 7104, title: "TypeError: Cannot read properties of undefined (reading 'map')" });
    await run({ issueId: '7101' });
    const requestsBefore = glitchtip.requests.length;
    const swept = await run({ sweep: true });
    expect(swept).toMatchObject({ sweep: true, seen: 3, linked: ['7102'] });
    expect(glitchtip.commentsOf(7102)[0]!.text).toContain('Why: message matches /timeout exceeded when trying to connect/');
    expect(glitchtip.commentsOf(7101)).toHaveLength(1);
    expect(glitchtip.commentsOf(7103)).toEqual([]);
    // 7101 was already linked: the sweep spent no event or comment call on it.
    const sweepPaths = glitchtip.requests.slice(requestsBefore).map((request) => request.path);
    expect(sweepPaths.filter((requestPath) => requestPath.includes('/7101/'))).toEqual([]);
    expect(await run({ sweep: true })).toMatchObject({ linked: [] });
  });

  it('one issue failing does not stop the sweep; it is tried again on the next one', async () => {
    seedRedisIssue(7201);
    seedRedisIssue(7202, { lastSeen: new Date(Date.now() - 60_000) });
    glitchtip.inject.failMatching({ method: 'POST', path: /\/issues\/7201\/comments\/$/, times: 1, status: 502 });
    expect(await run({ sweep: true })).toMatchObject({ checked: 1, linked: ['7202'], failed: ['7201'] });
    // The failed POST may have landed, so its claim stays; while fresh another sweep leaves it alone.
    expect(await run({ sweep: true })).toMatchObject({ linked: [], failed: [] });
    // The next hourly sweep finds the claim stale, looks for a landed comment, finds none, posts once.
    await handle.db.update(runbookLinks).set({ claimedAt: new Date(Date.now() - 3_600_000) }).where(eq(runbookLinks.issueId, '7201'));
    expect(await run({ sweep: true })).toMatchObject({ linked: ['7201'], failed: [] });
    expect(glitchtip.commentsOf(7201)).toHaveLength(1);
    expect(glitchtip.commentsOf(7202)).toHaveLength(1);
  });
});
