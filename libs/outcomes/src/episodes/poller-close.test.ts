import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import postgres from 'postgres';
import { pollIssues } from '@triage/contracts';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
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
import { recordOutcomeEvent } from './episode-repository';

// An issue resolved in GlitchTip's own UI ends its episode when the poller sees it: time to resolve without Telegram.
describe('the poller closes episodes resolved in GlitchTip', () => {
  const apiToken = 'poller-close-token-0123456789abcdefghijkl';
  const prefix = uniquePrefix('pclose');
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'] });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let sql: postgres.Sql;
  let worker: StartedProcess;

  beforeAll(async () => {
    await glitchtip.start();
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
    sql = postgres(database.url, { max: 1, onnotice: () => undefined });
  });

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await producer.close();
    connection.disconnect();
    await sql?.end();
    await handle?.close();
    await database?.drop();
    await glitchtip.stop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('records the close with the time the poller saw it', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    glitchtip.seedIssue({ id: 3100, title: 'ConnectionError: redis', level: 'error', status: 'resolved', lastSeen: hourAgo, firstSeen: hourAgo });
    await sql`insert into issue_states (issue_id, status, event_count, last_seen) values ('3100', 'unresolved', 1, ${hourAgo})`;
    await recordOutcomeEvent(handle.db, { type: 'alerted', issueId: '3100', at: hourAgo, regression: false, holdoutPercent: 0 });
    worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'poll-issues'], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      GLITCHTIP_ORG: 'acme',
    });
    await worker.waitForOutput('worker started');
    await producer.enqueue(pollIssues, { lookbackMinutes: 15 });
    const episode = await waitFor(async () => {
      const [row] = await sql`select state, closed_via, closed_at from episodes where issue_id = '3100'`;
      return row?.state === 'resolved' ? row : undefined;
    }, { what: 'the episode closed by the poller', timeoutMs: 20_000 });
    expect(episode.closed_via).toBe('glitchtip');
    expect(Math.abs((episode.closed_at as Date).getTime() - Date.now())).toBeLessThan(60_000);
  });
});
