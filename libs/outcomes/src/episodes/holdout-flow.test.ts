import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Queue } from 'bullmq';
import postgres from 'postgres';
import { investigate, issueAction, linkRunbook, processAlert, type ProcessAlertPayload } from '@triage/contracts';
import { Producer, createProducerConnection } from '@triage/queue';
import {
  clearPrefix,
  createGlitchTipFake,
  createTestDatabase,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';
import { holdoutGroupOf } from './holdout';

type IssuePayload = Extract<ProcessAlertPayload, { kind: 'issue' }>;

// The holdout end to end in a worker: process-alert records the episode and holds back automatic help for the control
// group; a press on a control-group alert is recorded as the first action, and asking for help as a crossover.
describe('A/B holdout in a worker process', () => {
  const apiToken = 'holdout-token-0123456789abcdefghijklmnopq';
  const prefix = uniquePrefix('hold');
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'] });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let database: TestDatabase;
  let sql: postgres.Sql;
  let worker: StartedProcess;
  const ids = { control: '', treatment: '' };

  const signal = (issueId: string): IssuePayload => ({
    kind: 'issue',
    issueId,
    title: `ValueError <${issueId}>`,
    culprit: 'app/orders.py in submit',
    url: `${glitchtip.url}/acme/issues/${issueId}`,
    orgSlug: 'acme',
    levelHint: 'error',
    project: 'backend',
    environment: 'production',
    release: null,
    serverName: null,
    shortId: `BACKEND-${issueId}`,
    extraTags: {},
    source: 'webhook',
    receivedAt: new Date().toISOString(),
    regression: false,
  });

  async function queuedFor(name: string, issueId: string): Promise<number> {
    const queue = new Queue(name, { connection, prefix });
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed']);
    await queue.close();
    return jobs.filter((job) => (job.data as { issueId?: string }).issueId === issueId).length;
  }

  beforeAll(async () => {
    for (let candidate = 4_000; !ids.control || !ids.treatment; candidate += 1) {
      const group = holdoutGroupOf(String(candidate), 50);
      if (!ids[group]) ids[group] = String(candidate);
    }
    await glitchtip.start();
    for (const id of [ids.control, ids.treatment]) glitchtip.seedIssue({ id: Number(id), title: `ValueError <${id}>`, level: 'error' });
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'process-alert,issue-action'], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      GLITCHTIP_ORG: 'acme',
      TELEGRAM_ALLOWED_USER_IDS: '77',
      EXPERIMENT_HOLDOUT_PERCENT: '50',
    });
    await worker.waitForOutput('worker started');
  }, 45_000);

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await producer.close();
    connection.disconnect();
    await sql?.end();
    await database?.drop();
    await glitchtip.stop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('gives a control-group issue no automatic investigation or runbook link, and a treatment issue both', async () => {
    for (const id of [ids.control, ids.treatment]) await producer.enqueue(processAlert, signal(id));
    const rows = await waitFor(async () => {
      const found = await sql`select issue_id, experiment_group, state from episodes order by issue_id`;
      return found.length === 2 ? found : undefined;
    }, { what: 'two episodes' });
    expect(Object.fromEntries(rows.map((row) => [row.issue_id, row.experiment_group]))).toEqual({ [ids.control]: 'control', [ids.treatment]: 'treatment' });
    await waitFor(async () => (await queuedFor(investigate.name, ids.treatment)) === 1 || undefined, { what: 'the treatment investigation' });
    expect(await queuedFor(linkRunbook.name, ids.treatment)).toBe(1);
    expect(await queuedFor(investigate.name, ids.control)).toBe(0);
    expect(await queuedFor(linkRunbook.name, ids.control)).toBe(0);
    const [alert] = await sql`select outcome from alerts where issue_id = ${ids.control}`;
    expect(alert?.outcome).toMatchObject({ group: 'control', acknowledgedBy: null });
  });

  it('records a press on a control-group alert as the first action, and an Investigate press as a crossover', async () => {
    const press = (action: 'acknowledge' | 'investigate', requestId: string) =>
      producer.enqueue(issueAction, { action, issueId: ids.control, actor: { userId: 77, username: 'ana' }, chatId: '-100123', messageId: 5, source: 'button', requestId });
    await press('acknowledge', 'press-1');
    // One at a time, as a person presses: the worker runs jobs concurrently.
    await waitFor(async () => (await sql`select 1 from episodes where issue_id = ${ids.control} and acknowledged_by is not null`).length === 1, { what: 'the acknowledgement' });
    await press('investigate', 'press-2');
    const episode = await waitFor(async () => {
      const [row] = await sql`select acknowledged_by, first_action, crossover_action from episodes where issue_id = ${ids.control}`;
      return row?.crossover_action ? row : undefined;
    }, { what: 'the crossover recorded' });
    expect(episode).toEqual({ acknowledged_by: '@ana', first_action: 'acknowledge', crossover_action: 'investigate' });
    const [alert] = await sql`select outcome from alerts where issue_id = ${ids.control}`;
    expect(alert?.outcome).toMatchObject({ group: 'control', acknowledgedBy: '@ana' });
  });
});
