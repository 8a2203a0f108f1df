import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import postgres from 'postgres';
import { botCommand, deliveryCountersKey, type BotCommandPayload } from '@triage/contracts';
import { Producer, appKey, createProducerConnection } from '@triage/queue';
import {
  clearPrefix,
  createTelegramFake,
  createTestDatabase,
  startWorkerProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';

// A worker process in webhook-only mode answering bot-command jobs: replies the bot decided on, /runbook, the
// allowlist, and the message-id-survives rule for replies.
describe('bot-command in a worker process', () => {
  const botToken = '616161:COMMAND-token-abcdefghijklmnopqrstuv';
  const chatId = -100999;
  const prefix = uniquePrefix('cmd');
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  const queue = new Queue(botCommand.name, { connection, prefix });
  let database: TestDatabase;
  let sql: postgres.Sql;
  let worker: StartedProcess;
  let request = 0;

  const common = (userId = 77) => ({ actor: { userId }, chatId: String(chatId), requestId: `cmd-test-${(request += 1)}` });
  const finished = async (payload: BotCommandPayload) => {
    const job = await producer.enqueue(botCommand, payload);
    await waitFor(async () => ['completed', 'failed'].includes(await queue.getJobState(job.id!)) || undefined, { what: `the ${payload.command} job` });
    return (await queue.getJob(job.id!))!;
  };
  const repliesContaining = (text: string) => telegram.messagesIn(chatId).filter((message) => message.text?.includes(text));

  beforeAll(async () => {
    await telegram.start();
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => undefined });
    worker = await startWorkerProcess({
      queues: ['bot-command'],
      redisUrl: testRedisUrl(),
      databaseUrl: database.url,
      prefix,
      telegram: { url: telegram.url, botToken, chatId },
      env: { TELEGRAM_ALLOWED_USER_IDS: '77' },
    });
  }, 45_000);

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await queue.close();
    await producer.close();
    connection.disconnect();
    await sql?.end();
    await database?.drop();
    await telegram.stop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  it('sends a reply the bot decided on, escaped, to a stranger too (the bot already checked who asked)', async () => {
    const job = await finished({ ...common(5), command: 'reply', purpose: 'refusal', text: 'You are not allowed to do <this>.' });
    expect(job.returnvalue).toMatchObject({ command: 'reply', reply: 'sent' });
    const [reply] = repliesContaining('You are not allowed to do <this>.');
    expect(reply?.parse_mode).toBe('HTML');
    const [audit] = await sql`select action, result from audit_log where idempotency_key = ${`reply:${job.data.requestId}`}`;
    expect(audit).toEqual({ action: 'reply.bot.refusal', result: 'ok' });
  });

  it('refuses a command from a user outside the allowlist, audited, without a reply', async () => {
    const job = await finished({ ...common(5), command: 'runbook', issueId: '4001' });
    expect(job.returnvalue).toEqual({ refused: true });
    const [audit] = await sql`select action, result from audit_log where idempotency_key = ${`command:${job.data.requestId}`}`;
    expect(audit).toEqual({ action: 'command.runbook', result: 'refused' });
    expect(repliesContaining('issue 4001')).toHaveLength(0);
  });

  it('answers /runbook and /errors with why it cannot in webhook-only mode', async () => {
    await finished({ ...common(), command: 'runbook', issueId: '4002' });
    expect(repliesContaining('4002')).toHaveLength(1);
    await finished({ ...common(), command: 'errors', hours: 24 });
    expect(repliesContaining('The /errors command needs the GlitchTip API')).toHaveLength(1);
  });

  it('replies exactly once when Postgres fails right after Telegram accepted the reply', async () => {
    // The first audit row of this reply is refused once (a sequence is not rolled back with the failed insert).
    await sql.unsafe(`
      create sequence fail_reply_audit_once;
      create function fail_reply_audit_once() returns trigger language plpgsql as $$ begin
        if new.action = 'reply.command.runbook' and new.details->>'chatId' is not null and nextval('fail_reply_audit_once') = 1 then
          raise exception 'injected: Postgres failed right after the reply';
        end if;
        return new;
      end $$;
      create trigger fail_reply_audit_once before insert on audit_log for each row execute function fail_reply_audit_once();
    `);
    const job = await finished({ ...common(), command: 'runbook', issueId: '4003' });
    expect(job.attemptsMade).toBeGreaterThanOrEqual(2);
    expect(job.returnvalue).toMatchObject({ reply: 'already-sent' });
    expect(repliesContaining('4003')).toHaveLength(1);
    const [audit] = await sql`select result, details from audit_log where idempotency_key = ${`reply:${job.data.requestId}`}`;
    expect(audit?.result).toBe('ok');
    expect((audit?.details as { messageId?: number }).messageId).toBe(repliesContaining('4003')[0]!.message_id);
  });

  it('a reply whose answer was lost (502) is sent again, marked as a possible repeat, and counted', async () => {
    telegram.inject.failNext(1, 502, 'Bad Gateway', { method: 'sendMessage', matching: (params) => String(params.text).includes('4004') });
    const job = await finished({ ...common(), command: 'runbook', issueId: '4004' });
    expect(job.returnvalue).toMatchObject({ reply: 'sent' });
    expect(job.attemptsMade).toBeGreaterThanOrEqual(2);
    const replies = repliesContaining('4004');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('(possible repeat)');
    expect(Number(await connection.hget(deliveryCountersKey(prefix), 'reply'))).toBe(1);
    const [audit] = await sql`select result from audit_log where idempotency_key = ${`reply:${job.data.requestId}`}`;
    expect(audit?.result).toBe('ok');
  });

  it('a reply whose worker was killed mid-call (its attempt mark left, no record) is sent, marked as a possible repeat', async () => {
    const payload = { ...common(), command: 'runbook' as const, issueId: '4005' };
    await connection.set(appKey(prefix, 'reply-attempt', `reply:${payload.requestId}`), String(Date.now()));
    const job = await finished(payload);
    expect(job.returnvalue).toMatchObject({ reply: 'sent' });
    const replies = repliesContaining('4005');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('(possible repeat)');
  });
});
