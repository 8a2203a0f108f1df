import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Queue, type Job, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@triage/config';
import { processAlert, type PollIssuesPayload } from '@triage/contracts';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { GlitchTipClient } from '@triage/glitchtip';
import { createLogger } from '@triage/logger';
import { createProducerConnection, Producer } from '@triage/queue';
import { ChatPacer } from '@triage/telegram';
import { clearPrefix, createGlitchTipFake, createTestDatabase, testRedisUrl, uniquePrefix, type GlitchTipFake, type TestDatabase } from '@triage/testing';
import type { WorkerDeps } from '../worker-deps';
import { pollerBaselineKey, pollIssuesHandler } from './poll-issues.handler';

const apiToken = 'f0e1d2c3'.repeat(8);
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** The poll-issues handler over real Redis and Postgres and the strict GlitchTip fake, called as the worker calls it. */
describe('poll-issues', () => {
  let glitchtip: GlitchTipFake;
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let redis: Redis;
  let producerConnection: Redis;
  let producer: Producer;
  let alertsQueue: Queue;
  let deps: WorkerDeps;
  let prefix: string;
  const log = createLogger({ name: 'poll-test', level: 'silent' });

  const poll = (payload: Partial<PollIssuesPayload> = {}) =>
    pollIssuesHandler.handle({ lookbackMinutes: 15, ...payload }, { job: {} as Job, token: undefined, worker: {} as Worker, log, deps });
  const alertedIssueIds = async () =>
    (await alertsQueue.getJobs(['waiting', 'prioritized', 'delayed'])).map((job) => (job.data as { issueId: string }).issueId).sort();

  beforeAll(async () => {
    glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'], org: 'acme' });
    await glitchtip.start();
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
  });
  beforeEach(async () => {
    glitchtip.reset();
    prefix = uniquePrefix('poll');
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    producerConnection = createProducerConnection(testRedisUrl());
    producer = new Producer({ connection: producerConnection, prefix });
    alertsQueue = new Queue(processAlert.name, { connection: redis, prefix });
    const config = loadConfig({ QUEUE_PREFIX: prefix, GLITCHTIP_BASE_URL: glitchtip.url, GLITCHTIP_API_TOKEN: apiToken, GLITCHTIP_ORG: 'acme' });
    deps = {
      config,
      db: handle.db,
      redis,
      producer,
      glitchtip: new GlitchTipClient({ baseUrl: glitchtip.url, token: apiToken, org: 'acme', logger: log, retries: 0 }),
      telegram: undefined,
      pacer: new ChatPacer({ redis, prefix }),
      routes: [],
      handledQueues: new Set([processAlert.name]),
    };
    // Past the silent first run: these tests are about what comes after it.
    await redis.set(pollerBaselineKey(prefix), new Date().toISOString());
  });
  afterEach(async () => {
    await alertsQueue.close();
    await producer.close();
    await clearPrefix(testRedisUrl(), prefix);
    producerConnection.disconnect();
    redis.disconnect();
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
    await glitchtip.stop();
  });

  it('calls a webhook lost only when the project alert rule would have fired (issue 10 item 5)', async () => {
    glitchtip.seedProjectAlert('backend', { name: '10 in 5 minutes', quantity: 10, timespanMinutes: 5 });
    glitchtip.seedIssue({ id: 5101, project: 'backend', count: 2, firstSeen: minutesAgo(10), lastSeen: minutesAgo(3) });
    glitchtip.seedIssue({ id: 5102, project: 'backend', count: 12, firstSeen: minutesAgo(6), lastSeen: minutesAgo(3) });
    // A project with no alert rule: GlitchTip sends no webhook for it, so none was lost.
    glitchtip.seedIssue({ id: 5103, project: 'web', count: 40, firstSeen: minutesAgo(10), lastSeen: minutesAgo(3) });

    const result = await poll();

    expect(result).toMatchObject({ alerted: ['5102:alert-lost'], quiet: 2 });
    expect(await alertedIssueIds()).toEqual(['5102']);
    expect(glitchtip.requests.map((request) => `${request.method} ${request.path}`)).toEqual(
      expect.arrayContaining(['GET /api/0/projects/acme/backend/alerts/', 'GET /api/0/projects/acme/web/alerts/']),
    );
  });

  it('judges a quiet issue again at the next poll, and alerts it once its rule fires', async () => {
    glitchtip.seedProjectAlert('backend', { quantity: 3, timespanMinutes: 5 });
    glitchtip.seedIssue({ id: 5111, project: 'backend', count: 1, firstSeen: minutesAgo(4), lastSeen: minutesAgo(4) });
    expect(await poll()).toMatchObject({ alerted: [], quiet: 1 });
    glitchtip.recordNewEvent(5111, { at: minutesAgo(3) });
    glitchtip.recordNewEvent(5111, { at: minutesAgo(2) });
    expect(await poll()).toMatchObject({ alerted: ['5111:alert-lost'] });
  });

  it('waits GlitchTip\'s alert interval plus a margin (90 s) after the rule fired, not 3 minutes', async () => {
    glitchtip.seedProjectAlert('backend', { quantity: 1, timespanMinutes: 1 });
    glitchtip.seedIssue({ id: 5121, project: 'backend', firstSeen: new Date(Date.now() - 100_000), lastSeen: new Date(Date.now() - 100_000) });
    glitchtip.seedIssue({ id: 5122, project: 'backend', firstSeen: new Date(Date.now() - 30_000), lastSeen: new Date(Date.now() - 30_000) });
    expect(await poll()).toMatchObject({ alerted: ['5121:alert-lost'], waiting: 1 });
  });

  it('falls back to alerting after the grace when the rules cannot be read (no project:read scope)', async () => {
    glitchtip.setScopes(['event:read', 'event:write', 'org:read']);
    glitchtip.seedIssue({ id: 5131, project: 'backend', firstSeen: minutesAgo(5), lastSeen: minutesAgo(3) });
    expect(await poll()).toMatchObject({ alerted: ['5131:alert-lost'] });
  });

  it('a project poll (a body with more issues than attachments) alerts the project\'s other issues at once, not the listed ones (issue 10 item 4)', async () => {
    glitchtip.seedProjectAlert('backend', { quantity: 1, timespanMinutes: 1 });
    glitchtip.seedProjectAlert('web', { quantity: 1, timespanMinutes: 1 });
    const justNow = new Date(Date.now() - 10_000);
    for (const id of [5141, 5142, 5143, 5144, 5145]) glitchtip.seedIssue({ id, project: 'backend', firstSeen: justNow, lastSeen: justNow });
    glitchtip.seedIssue({ id: 5146, project: 'web', firstSeen: justNow, lastSeen: justNow });

    const result = await poll({ project: { name: 'Backend', issueId: '5141', listedIssueIds: ['5141', '5142', '5143'], statedIssueCount: 5 } });

    expect(result).toMatchObject({ project: 'backend' });
    expect((result as { alerted: string[] }).alerted.sort()).toEqual(['5144:alert-lost', '5145:alert-lost']);
    expect(await alertedIssueIds()).toEqual(['5144', '5145']);
    // The project filter is GlitchTip's numeric project id, learnt from an issue of the body.
    const listing = glitchtip.requests.find((request) => request.path === '/api/0/organizations/acme/issues/');
    expect(listing?.query.getAll('project')).toEqual([String(glitchtip.issue(5141)!.project.id)]);
  });
});
