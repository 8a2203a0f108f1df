import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { linkRunbook } from '@triage/contracts';
import { connectDatabase, runbookClicks, type DatabaseHandle } from '@triage/db';
import { findFreePort } from '@triage/embedded';
import { createProducerConnection, Producer } from '@triage/queue';
import {
  clearPrefix,
  createGlitchTipFake,
  createTelegramFake,
  createTestDatabase,
  readGlitchTipContract,
  repoRoot,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type StartedProcess,
  type TestDatabase,
} from '@triage/testing';

const apiToken = 'e2e0e2e0'.repeat(8);
const botToken = '616161:RUNBOOK-token-abcdefghijklmnopqrstu';
const chatId = -100777;
const publicUrl = 'https://triage.example.com';
const webhookToken = 'e2e-webhook-token-0123456789';

/**
 * The whole path in real processes (ingress and worker): a GlitchTip webhook is accepted, processed, sent to Telegram, linked to its runbook in one
 * GlitchTip comment, its message gains a Runbook button, and the link counts a click at the ingress.
 */
describe('link-runbook end to end', () => {
  const prefix = uniquePrefix('rbe2e');
  const runbooksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-rb-e2e-'));
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'], org: 'acme' });
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: chatId, type: 'supergroup' }] });
  const connection = createProducerConnection(testRedisUrl());
  const producer = new Producer({ connection, prefix });
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let worker: StartedProcess;
  let ingress: StartedProcess;
  let ingressUrl: string;

  beforeAll(async () => {
    for (const file of fs.readdirSync(path.join(repoRoot, 'runbooks'))) fs.copyFileSync(path.join(repoRoot, 'runbooks', file), path.join(runbooksDir, file));
    await glitchtip.start();
    await telegram.start();
    database = await createTestDatabase();
    handle = connectDatabase(database.url, { max: 2 });
    const env = {
      REDIS_URL: testRedisUrl(),
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      GLITCHTIP_BASE_URL: glitchtip.url,
      GLITCHTIP_API_TOKEN: apiToken,
      GLITCHTIP_ORG: 'acme',
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_CHAT_ID: String(chatId),
      PUBLIC_URL: publicUrl,
      RUNBOOKS_DIR: runbooksDir,
      WEBHOOK_TOKEN: webhookToken,
    };
    const port = await findFreePort();
    ingressUrl = `http://127.0.0.1:${port}`;
    worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'process-alert,send-alert,link-runbook'], env);
    ingress = startTsProcess('apps/ingress/src/main.ts', [], { ...env, PORT: String(port) });
    await Promise.all([worker.waitForOutput('worker started', 45_000), ingress.waitForOutput('ingress listening', 45_000)]);
  }, 60_000);

  afterAll(async () => {
    worker?.kill('SIGTERM');
    ingress?.kill('SIGTERM');
    await Promise.all([worker?.exited, ingress?.exited]);
    await producer.close();
    connection.disconnect();
    await handle?.close();
    await database?.drop();
    await telegram.stop();
    await glitchtip.stop();
    await clearPrefix(testRedisUrl(), prefix);
    fs.rmSync(runbooksDir, { recursive: true, force: true });
  });

  const runbookButton = (message: { reply_markup?: { inline_keyboard: Array<Array<{ text: string; url?: string }>> } }) =>
    message.reply_markup?.inline_keyboard.flat().find((button) => button.text.includes('Runbook'));

  it('one comment, a Runbook button on the alert, none on a rerun, and a counted click', async () => {
    const issue = glitchtip.seedIssue({ id: 4242, title: 'MaxRetriesPerRequestError: Reached the max retries per request limit (which is 20).', culprit: 'ioredis in Command.reject' });
    glitchtip.seedEvent(4242, { tags: { environment: 'production' } });
    const body = readGlitchTipContract('webhook_issue_alert_generic_single');
    body.attachments[0].title = issue.title;
    body.attachments[0].title_link = `${glitchtip.url}/acme/issues/4242`;
    body.attachments[0].text = issue.culprit;
    const accepted = await fetch(`${ingressUrl}/api/glitchtip-webhook?token=${webhookToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(accepted.status).toBe(202);

    const comment = await waitFor(() => glitchtip.commentsOf(4242)[0], { what: 'the runbook comment', timeoutMs: 30_000 });
    const link = `${publicUrl}/r/redis-connection-refused?issue=4242`;
    expect(comment.text).toContain(link);
    const alert = await waitFor(() => telegram.messagesIn(chatId).find((message) => runbookButton(message)), { what: 'the Runbook button on the alert', timeoutMs: 30_000 }).catch((error: unknown) => {
      process.stderr.write(`${JSON.stringify(telegram.messagesIn(chatId), null, 1)}\n${worker.output().slice(-6000)}\n`);
      throw error;
    });
    expect(runbookButton(alert)!.url).toBe(link);
    expect(alert.text).toContain('MaxRetriesPerRequestError');
    expect(telegram.messagesIn(chatId)).toHaveLength(1);

    // A rerun (the sweep, a retried alert) adds no second comment.
    const queue = new Queue(linkRunbook.name, { connection, prefix });
    const rerun = await producer.enqueue(linkRunbook, { issueId: '4242' }, { jobId: 'rerun-4242' });
    await waitFor(async () => (await queue.getJobState(rerun.id!)) === 'completed' || undefined, { what: 'the rerun' });
    expect((await queue.getJob(rerun.id!))?.returnvalue).toMatchObject({ linked: true, comment: 'already-posted', alertEdited: false });
    await queue.close();
    expect(glitchtip.commentsOf(4242)).toHaveLength(1);

    // Someone follows the link from the comment or the button.
    const click = await fetch(`${ingressUrl}${new URL(link).pathname}${new URL(link).search}`, { redirect: 'manual' });
    expect([click.status, click.headers.get('location')]).toEqual([302, '/runbooks/redis-connection-refused']);
    const page = await fetch(`${ingressUrl}/runbooks/redis-connection-refused`);
    expect(await page.text()).toContain('Redis connection refused or lost');
    const rows = await handle.db.select({ clicks: runbookClicks.clicks }).from(runbookClicks).where(eq(runbookClicks.issueId, '4242'));
    expect(rows).toEqual([{ clicks: 1 }]);
  });

  it('a runbook added on disk is used by the running worker without a restart', async () => {
    glitchtip.seedIssue({ id: 4343, title: "Error: ENOSPC: no space left on device, write '/var/lib/app/upload.tmp'" });
    const queue = new Queue(linkRunbook.name, { connection, prefix });
    let attempt = 0;
    const linkOnce = async () => {
      const job = await producer.enqueue(linkRunbook, { issueId: '4343' }, { jobId: `disk-${(attempt += 1)}` });
      await waitFor(async () => (await queue.getJobState(job.id!)) === 'completed' || undefined, { what: 'a link job' });
      return (await queue.getJob(job.id!))?.returnvalue as { linked: boolean; runbook?: string };
    };
    expect(await linkOnce()).toMatchObject({ linked: false });
    fs.writeFileSync(
      path.join(runbooksDir, 'disk-full.md'),
      "---\npatterns: ['ENOSPC', 'no space left on device']\n---\n# Disk full\n\n## Symptoms\n## Diagnosis\n## Fix\n## Prevention\n",
    );
    const linked = await waitFor(async () => {
      const result = await linkOnce();
      return result.linked ? result : undefined;
    }, { what: 'the new runbook to be used', intervalMs: 500 });
    await queue.close();
    expect(linked).toMatchObject({ linked: true, runbook: 'disk-full' });
    expect(glitchtip.commentsOf(4343)).toHaveLength(1);
  });
});
