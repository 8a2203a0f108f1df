import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import postgres from 'postgres';
import { Producer, createProducerConnection } from '@triage/queue';
import { investigate, investigationVote } from '@triage/contracts';
import {
  clearPrefix,
  createGlitchTipFake,
  createTelegramFake,
  createTestDatabase,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
  createTestRepo,
  lines,
  type TestRepo,
} from '@triage/testing';

// A worker process consuming `investigate` against the strict GlitchTip and Telegram fakes, a real git repository,
// Redis and Postgres.
describe('investigate in a worker process', () => {
  const apiToken = 'i'.repeat(64);
  const botToken = '616161:INVESTIGATE-token-abcdefghijklmnopq';
  const chatId = -100777;
  const forumId = -100778;
  const prefix = uniquePrefix('inv');
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'] });
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }, { id: forumId, type: 'supergroup', isForum: true, topics: [11, 12] }] });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  const summaryQueue = new Queue('investigation-summary', { connection, prefix });
  let repo: TestRepo;
  let culprit: string;
  let database: TestDatabase;
  let sql: postgres.Sql;
  let worker: StartedProcess;
  let job = 0;

  const frames = (line: number) => [
    { filename: '/app/node_modules/pg/lib/client.js', function: 'Client.query', lineno: 5, in_app: false },
    { filename: '/app/dist/routes/users.js', function: 'getUser', lineno: 8, in_app: true },
    { filename: '/app/dist/db/pool.js', function: 'Pool.connect', lineno: line, in_app: true },
  ];
  const seed = (id: number, line = 20) => {
    glitchtip.seedIssue({ id, title: 'TypeError: pool is closed', firstSeen: '2026-03-28T12:00:00Z', lastSeen: '2026-03-28T13:00:00Z', project: 'backend' });
    glitchtip.seedEvent(id, { eventId: `e${id}${line}`.padEnd(32, '0'), tags: { release: 'api@1.4.0' }, exceptions: [{ type: 'TypeError', value: 'pool is closed', frames: frames(line) }] });
  };
  const runs = (issueId: string) => sql`select id, status, comment_id, from_cache, report_hash, vote, voted_by, timed_out_step, duration_ms, timings from investigations where issue_id = ${issueId} and finished_at is not null order by id`;
  const enqueue = (issueId: string, extra: Record<string, unknown> = {}) =>
    producer.enqueue(investigate, { issueId, requestedBy: 'test', ...extra }, { jobId: `inv-test-${(job += 1)}` });
  const summaryDone = (runId: unknown) =>
    waitFor(async () => {
      const summaryJob = await summaryQueue.getJob(`investigation-summary-${String(runId)}`);
      return summaryJob?.finishedOn ? summaryJob : undefined;
    }, { what: `the summary job of run ${String(runId)}`, timeoutMs: 30_000 });
  const summariesOf = (chat: number, issueId: string) => telegram.messagesIn(chat).filter((message) => message.text?.includes(`Investigation of issue ${issueId}`));
  const replyTarget = (value: unknown) => ((typeof value === 'string' ? JSON.parse(value) : value) as { message_id?: number } | undefined)?.message_id;
  const waitForRuns = (issueId: string, count: number) => waitFor(async () => ((await runs(issueId)).length >= count ? runs(issueId) : undefined), { what: `${count} runs of ${issueId}`, timeoutMs: 30_000 });

  beforeAll(async () => {
    repo = await createTestRepo('job');
    await repo.commit({ 'src/db/pool.ts': lines(60), 'src/routes/users.ts': lines(20) }, 'initial', '2026-03-01T00:00:00Z');
    culprit = await repo.commit({ 'src/db/pool.ts': lines(60, { 20: 'if (this.closed) throw new TypeError("pool is closed")' }) }, 'pool: refuse queries when closed', '2026-03-20T00:00:00Z', 'Ana');
    await repo.git('tag', 'v1.4.0');
    await repo.commit({ 'src/db/pool.ts': lines(60, { 20: 'if (this.closed) throw new TypeError("pool is closed")', 40: '// later' }) }, 'pool: later change', '2026-03-30T00:00:00Z', 'Bo');
    await glitchtip.start();
    await telegram.start();
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'investigate,investigation-vote,investigation-summary'], {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      GLITCHTIP_ORG: 'acme',
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      TELEGRAM_ALLOWED_USER_IDS: '77',
      REPO_PATH: repo.root,
      REPO_WEB_URL: 'https://git.example.com/acme/api',
    });
    await worker.waitForOutput('worker started');
  }, 60_000);

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await producer.close();
    await summaryQueue.close();
    connection.disconnect();
    await sql?.end();
    await database?.drop();
    await glitchtip.stop();
    await telegram.stop();
    await clearPrefix(testRedisUrl(), prefix);
    repo?.remove();
  });

  it('DRY_RUN prints the report instead of posting; DISABLE_INVESTIGATION_HELPER and GLITCHTIP_INTEGRATION_ENABLED=false write nothing', async () => {
    seed(3101);
    const variants = [
      { name: 'dry', env: { DRY_RUN: 'true' } },
      { name: 'off', env: { DISABLE_INVESTIGATION_HELPER: 'true' } },
      { name: 'switch', env: { GLITCHTIP_INTEGRATION_ENABLED: 'false' } },
    ];
    const workers = variants.map(({ name, env }) =>
      startTsProcess('apps/worker/src/main.ts', ['--queues', 'investigate'], {
        REDIS_URL: testRedisUrl(), DATABASE_URL: database.url, QUEUE_PREFIX: `${prefix}-${name}`, GLITCHTIP_BASE_URL: glitchtip.url, GLITCHTIP_API_TOKEN: apiToken,
        GLITCHTIP_ORG: 'acme', TELEGRAM_BOT_TOKEN: botToken, TELEGRAM_API_ROOT: telegram.url, TELEGRAM_CHAT_ID: String(chatId), REPO_PATH: repo.root, ...env,
      }),
    );
    try {
      await Promise.all(workers.map((child) => child.waitForOutput('worker started')));
      const before = glitchtip.requests.length;
      for (const { name } of variants) {
        const scoped = new Producer({ connection, prefix: `${prefix}-${name}` });
        await scoped.enqueue(investigate, { issueId: '3101', requestedBy: 'test' }, { jobId: `variant-${name}` });
        await scoped.close();
      }
      await workers[0]!.waitForOutput('DRY_RUN: investigation report not posted');
      await workers[1]!.waitForOutput('DISABLE_INVESTIGATION_HELPER: investigation skipped');
      await workers[2]!.waitForOutput('nothing to investigate from');
      expect(glitchtip.commentsOf(3101)).toHaveLength(0);
      const [audit] = await sql`select result from audit_log where issue_id = '3101' and action = 'investigation.comment'`;
      expect(audit?.result).toBe('dry-run');
      // The dry run read the issue; the switched-off worker made no GlitchTip call at all.
      const paths = glitchtip.requests.slice(before).map((request) => `${request.method} ${request.path}`);
      expect(paths.filter((line) => line.startsWith('POST') || line.startsWith('PUT'))).toEqual([]);
      expect(paths.filter((line) => line === 'GET /api/0/issues/3101/')).toHaveLength(1);
    } finally {
      for (const child of workers) child.kill('SIGTERM');
      await Promise.all(workers.map((child) => child.exited));
      for (const { name } of variants) await clearPrefix(testRedisUrl(), `${prefix}-${name}`);
    }
  }, 90_000);

  it('says at start-up, once, when the configured checkout is missing', async () => {
    const missing = `${repo.root}-missing`;
    const other = startTsProcess('apps/worker/src/main.ts', ['--queues', 'investigate'], { REDIS_URL: testRedisUrl(), DATABASE_URL: database.url, QUEUE_PREFIX: `${prefix}-startup`, REPO_PATH: missing });
    try {
      await other.waitForOutput(`repository unusable for investigations: ${missing} does not exist`);
    } finally {
      other.kill('SIGTERM');
      await other.exited;
      await clearPrefix(testRedisUrl(), `${prefix}-startup`);
    }
  }, 45_000);

  it('comments once naming the release-blamed commit and file; a second run uses the cache and posts nothing', async () => {
    seed(3001);
    await enqueue('3001');
    const [first] = await waitForRuns('3001', 1);
    expect(first).toMatchObject({ status: 'done', from_cache: false });
    expect(Number(first!.duration_ms)).toBeGreaterThanOrEqual(0);
    expect(Object.keys(first!.timings as object)).toEqual(expect.arrayContaining(['frames', 'repository', 'files', 'mapping', 'suspects', 'similar', 'total']));
    const comments = glitchtip.commentsOf(3001);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.text).toContain(culprit.slice(0, 12));
    expect(comments[0]!.text).toContain('src/db/pool.ts:20');
    expect(comments[0]!.text).toContain('v1.4.0');
    expect(String(first!.comment_id)).toBe(String(comments[0]!.id));

    await enqueue('3001');
    const second = (await waitForRuns('3001', 2))[1];
    expect(second).toMatchObject({ status: 'done', from_cache: true, comment_id: first!.comment_id });
    expect(glitchtip.commentsOf(3001)).toHaveLength(1);
    expect(glitchtip.requests.filter((request) => request.method === 'POST' && request.path.includes('/comments/'))).toHaveLength(1);
  });

  it('posts nothing when nothing is found (no frame maps, nothing similar)', async () => {
    glitchtip.seedIssue({ id: 3102, title: 'QuuxFault: qqqqzzzz', firstSeen: '2026-03-28T12:00:00Z', project: 'backend' });
    glitchtip.seedEvent(3102, { exceptions: [{ type: 'QuuxFault', value: 'qqqqzzzz', frames: [{ filename: '/app/dist/nowhere/x.js', function: 'wwxxyyzz', lineno: 3, in_app: true }] }] });
    await enqueue('3102');
    const [run] = await waitForRuns('3102', 1);
    expect(run).toMatchObject({ status: 'done', comment_id: null });
    expect(glitchtip.commentsOf(3102)).toHaveLength(0);
  });

  it('edits the one comment when a later event changes the findings', async () => {
    const before = glitchtip.commentsOf(3001)[0]!.text;
    glitchtip.seedEvent(3001, { eventId: 'f'.repeat(32), tags: { release: 'api@1.4.0' }, exceptions: [{ type: 'TypeError', value: 'pool is closed', frames: frames(21) }] });
    await enqueue('3001');
    await waitForRuns('3001', 3);
    const comments = glitchtip.commentsOf(3001);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.text).not.toBe(before);
    expect(comments[0]!.text).toContain('src/db/pool.ts:21');
    const [edit] = await sql`select result from audit_log where issue_id = '3001' and action = 'investigation.comment-edit'`;
    expect(edit?.result).toBe('ok');
  });

  it('does not post twice when a run posted and crashed before recording it', async () => {
    seed(3002);
    await enqueue('3002');
    await waitForRuns('3002', 1);
    expect(glitchtip.commentsOf(3002)).toHaveLength(1);
    // What a crash between the POST and the row update leaves behind: the comment, and no record of it.
    await sql`delete from investigations where issue_id = '3002'`;
    await enqueue('3002', { force: true });
    const [rerun] = await waitForRuns('3002', 1);
    expect(glitchtip.commentsOf(3002)).toHaveLength(1);
    expect(String(rerun!.comment_id)).toBe(String(glitchtip.commentsOf(3002)[0]!.id));
    expect(glitchtip.requests.filter((request) => request.method === 'POST' && request.path === '/api/0/issues/3002/comments/')).toHaveLength(1);
  });

  it('quotes the fix of a resolved issue with the same type and frames above one with the same message only', async () => {
    glitchtip.seedIssue({ id: 2990, title: 'TypeError: connection reset by peer', status: 'resolved', project: 'backend' });
    glitchtip.seedEvent(2990, { exceptions: [{ type: 'TypeError', value: 'connection reset by peer', frames: frames(20) }] });
    glitchtip.addComment(2990, 'Fixed by reopening the pool after a failover (PR 812).');
    glitchtip.seedIssue({ id: 2991, title: 'TypeError: pool is closed', status: 'ignored', project: 'backend' });
    glitchtip.seedEvent(2991, { exceptions: [{ type: 'TypeError', value: 'pool is closed', frames: [{ filename: '/app/dist/jobs/billing.js', function: 'chargeAll', lineno: 3, in_app: true }] }] });
    await connection.del(`${prefix}:investigation:similar:refreshed`);
    seed(3005);
    await enqueue('3005');
    await waitForRuns('3005', 1);
    const text = glitchtip.commentsOf(3005)[0]!.text;
    const similar = text.slice(text.indexOf('Similar closed issues'));
    expect(similar.indexOf('connection reset by peer')).toBeGreaterThan(-1);
    expect(similar.indexOf('connection reset by peer')).toBeLessThan(similar.indexOf('pool is closed'));
    expect(similar).toContain('> Fixed by reopening the pool after a failover \\(PR 812\\).');
    expect(similar).toContain('resolved, similarity');
  });

  it('ends in a partial report naming the step that hit the hard timeout', async () => {
    seed(3003);
    // The similar-issues step reads the API (its index refresh); a slow GlitchTip makes it outlast the limit.
    await connection.del(`${prefix}:investigation:similar:refreshed`);
    glitchtip.inject.slow(1_500);
    try {
      await enqueue('3003', { timeoutMs: 1_000, force: true });
      const [run] = await waitForRuns('3003', 1);
      expect(run).toMatchObject({ status: 'partial', timed_out_step: 'similar' });
      expect(glitchtip.commentsOf(3003)[0]!.text).toContain('Partial report');
    } finally {
      glitchtip.inject.slow(0);
    }
  });

  it('adds the summary to the alert, sends a summary with vote buttons once, and stores a vote', async () => {
    seed(3004);
    await sql`insert into alerts (issue_id, source, title, state, snapshot) values ('3004', 'webhook', 'TypeError: pool is closed', 'open', ${sql.json({ issueUrl: 'https://glitchtip.example.com/acme/issues/3004' })})`;
    const alertMessageId = telegram.sendUserMessage({ chatId, fromUserId: 5, text: 'the alert' });
    await sql`insert into alert_messages (issue_id, chat_id, message_id, status) values ('3004', ${String(chatId)}, ${alertMessageId}, 'sent')`;
    await enqueue('3004');
    const [run] = await waitForRuns('3004', 1);
    const summary = await waitFor(() => telegram.messagesIn(chatId).find((message) => message.text?.includes('Investigation of issue 3004')), { what: 'the summary message', timeoutMs: 15_000 });
    expect(summary.text).toContain(`suspect ${culprit.slice(0, 8)}`);
    const buttons = summary.reply_markup!.inline_keyboard.flat().map((button) => button.callback_data);
    expect(buttons).toEqual([`v1|h|${run!.id}`, `v1|n|${run!.id}`]);
    const [alert] = await sql`select investigation from alerts where issue_id = '3004'`;
    expect(alert?.investigation).toMatchObject({ investigationId: Number(run!.id), url: 'https://glitchtip.example.com/acme/issues/3004' });

    await producer.enqueue(investigationVote, { investigationId: Number(run!.id), vote: 'helpful', actor: { userId: 77 }, chatId: String(chatId), requestId: 'cb-1' });
    const [voted] = await waitFor(async () => {
      const rows = await sql`select vote, voted_by from investigations where id = ${run!.id}`;
      return rows[0]?.vote ? rows : undefined;
    }, { what: 'the vote', timeoutMs: 15_000 });
    expect(voted).toEqual({ vote: 'helpful', voted_by: 'telegram:77' });
    // The same findings again: no second summary message, once the second run's summary job has finished.
    expect((await summaryDone(run!.id)).returnvalue).toMatchObject({ replies: { sent: 1 } });
    await enqueue('3004');
    const second = (await waitForRuns('3004', 2))[1];
    expect((await summaryDone(second!.id)).returnvalue).toMatchObject({ replies: { 'already-sent': 1 } });
    expect(summariesOf(chatId, '3004')).toHaveLength(1);
  });

  it('a summary held back by Telegram flood control is sent later without running the investigation again', async () => {
    seed(3007);
    await sql`insert into alerts (issue_id, source, title, state, snapshot) values ('3007', 'webhook', 'TypeError: pool is closed', 'open', ${sql.json({})})`;
    const alertMessageId = telegram.sendUserMessage({ chatId, fromUserId: 5, text: 'the alert' });
    await sql`insert into alert_messages (issue_id, chat_id, message_id, status) values ('3007', ${String(chatId)}, ${alertMessageId}, 'sent')`;
    const postsBefore = glitchtip.requests.filter((request) => request.method === 'POST' && request.path === '/api/0/issues/3007/comments/').length;
    telegram.inject.rateLimitNext(1, 1, { method: 'sendMessage' });
    await enqueue('3007');
    const [run] = await waitForRuns('3007', 1);
    await summaryDone(run!.id);
    expect(summariesOf(chatId, '3007')).toHaveLength(1);
    expect(telegram.calls.filter((call) => call.method === 'sendMessage' && call.response.status === 429 && String(call.params.text).includes('Investigation of issue 3007'))).toHaveLength(1);
    const everyRun = await sql`select id from investigations where issue_id = '3007'`;
    expect(everyRun).toHaveLength(1);
    expect(glitchtip.requests.filter((request) => request.method === 'POST' && request.path === '/api/0/issues/3007/comments/')).toHaveLength(postsBefore + 1);
  });

  it('sends the summary into every forum topic the issue is shown in, under its latest generation', async () => {
    seed(3008);
    await sql`insert into alerts (issue_id, source, title, state, snapshot) values ('3008', 'webhook', 'TypeError: pool is closed', 'open', ${sql.json({})})`;
    // Topic 11 holds two generations; the later one has the lower row id (rows are not written in generation order).
    await sql`insert into alert_messages (issue_id, chat_id, thread_id, route_thread_id, generation, message_id, status) values
      ('3008', ${String(forumId)}, 11, 11, 2, 902, 'sent'),
      ('3008', ${String(forumId)}, 11, 11, 1, 901, 'sent'),
      ('3008', ${String(forumId)}, 12, 12, 1, 903, 'sent')`;
    await enqueue('3008');
    const [run] = await waitForRuns('3008', 1);
    await summaryDone(run!.id);
    const sent = summariesOf(forumId, '3008');
    expect(sent.map((message) => message.message_thread_id).sort()).toEqual([11, 12]);
    const replyTargets = telegram.calls
      .filter((call) => call.method === 'sendMessage' && String(call.params.text).includes('Investigation of issue 3008'))
      .map((call) => replyTarget(call.params.reply_parameters))
      .sort();
    expect(replyTargets).toEqual([902, 903]);
  });
});
