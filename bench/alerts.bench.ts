/**
 * Alert delivery: process-alert -> send-alert -> Telegram fake, with the real handlers, Redis, Postgres and pacer.
 *
 *   node --import tsx bench/alerts.bench.ts        (npm run bench:alerts)
 *
 * 1. Latency: 50 alerts/s (BENCH_RATE) for BENCH_DURATION_S (10) seconds, each a new issue, spread over 100 private
 *    chats by routes; p50/p99 from the process-alert enqueue to the fake receiving sendMessage.
 * 2. Storm: 300 alerts for 60 issues into one group, with Telegram's minute shortened by BENCH_TIME_SCALE (0.05) in
 *    the fake and the pacer alike; time until every issue is visible (own message or digest) against Telegram's
 *    theoretical minimum for 60 separate messages to one group (20 a minute, the first 20 at once).
 * Prints figures; asserts nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMigrations } from '@triage/db';
import { startEmbeddedPostgres, startPrivateRedis } from '@triage/embedded';
import { defaultChatPacerLimits } from '@triage/telegram';
import type { RecordedCall } from '@triage/testing';
import { startHarness } from '../libs/jobs/src/send-alert/fixtures/send-alert-harness';

const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 10);
const ratePerSecond = Number(process.env.BENCH_RATE ?? 50);
const timeScale = Number(process.env.BENCH_TIME_SCALE ?? 0.05);
const chatCount = 100;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function issueOfCall(call: RecordedCall): string | undefined {
  return /v1\|r\|(\d+)/.exec(JSON.stringify(call.params.reply_markup ?? ''))?.[1];
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function latencyRun(databaseUrl: string): Promise<void> {
  const chats = Array.from({ length: chatCount }, (_, index) => ({ id: 1_000 + index, type: 'private' as const }));
  const harness = await startHarness({ databaseUrl, chatId: String(chats[0]!.id), chats, concurrency: 20 });
  harness.deps.routes.push(...chats.map((chat, index) => ({ match: { project: [`p${index}`] }, chatId: String(chat.id) })));
  try {
    const enqueuedAt = new Map<string, number>();
    const total = Math.round(durationSeconds * ratePerSecond);
    const started = Date.now();
    for (let index = 0; index < total; index += 1) {
      const due = started + (index * 1000) / ratePerSecond;
      const lag = due - Date.now();
      if (lag > 0) await new Promise((resolve) => setTimeout(resolve, lag));
      const issueId = String(100_000 + index);
      enqueuedAt.set(issueId, Date.now());
      void harness.alert(issueId, { project: `p${index % chatCount}` });
    }
    const delivered = await until(() => harness.fake.callsTo('sendMessage').filter((call) => call.response.status === 200).length >= total, 120_000);
    const latencies = harness.fake
      .callsTo('sendMessage')
      .filter((call) => call.response.status === 200)
      .flatMap((call) => {
        const issueId = issueOfCall(call);
        const at = issueId === undefined ? undefined : enqueuedAt.get(issueId);
        return at === undefined ? [] : [call.time - at];
      })
      .sort((a, b) => a - b);
    console.log(`latency: ${total} alerts at ${ratePerSecond}/s over ${chatCount} chats${delivered ? '' : ' (NOT all delivered in 120 s)'}`);
    console.log(`  delivered ${latencies.length}/${total}; enqueue -> sendMessage p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`);
    console.log(`  429s from the fake: ${harness.fake.stats.rateLimited}`);
    const budget = (defaultChatPacerLimits.global.limit * 1_000) / defaultChatPacerLimits.global.windowMs;
    if (ratePerSecond > budget) {
      console.log(`  note: ${ratePerSecond}/s is above Triage's global send budget (${budget}/s, kept under Telegram's ~30/s), so these figures are mostly queueing; BENCH_RATE=20 shows the latency below the budget`);
    }
  } finally {
    await harness.close();
  }
}

async function stormRun(databaseUrl: string): Promise<void> {
  const chatId = -1_001_000_000_777;
  const harness = await startHarness({
    databaseUrl,
    chatId: String(chatId),
    chats: [{ id: chatId, type: 'supergroup' }],
    rates: { timeScale },
    pacerLimits: {
      perChat: { limit: 1, windowMs: 1_000 * timeScale },
      perGroup: { limit: 20, windowMs: 62_000 * timeScale + 400 },
      global: { limit: 25, windowMs: 1_000 * timeScale },
    },
  });
  try {
    const issues = Array.from({ length: 60 }, (_, index) => String(200_000 + index));
    const payloads = [0, 1, 2, 3, 4].flatMap((window) =>
      issues.map((issueId) => ({ issueId, title: `storm-${issueId}-`, receivedAt: new Date(Date.now() + window * 5 * 60_000).toISOString() })),
    );
    const started = Date.now();
    await harness.alerts(payloads);
    const visible = () => {
      const texts = harness.fake.messagesIn(chatId).map((message) => message.text ?? '');
      return issues.every((issueId) => texts.some((text) => text.includes(`storm-${issueId}-`) || text.includes(`<${issueId}>`)));
    };
    const allVisible = await until(visible, 300_000);
    const visibleMs = Date.now() - started;
    await until(() => harness.idle(), 300_000);
    const drainedMs = Date.now() - started;
    const minuteMs = 60_000 * timeScale;
    const theoreticalMs = (Math.ceil(issues.length / 20) - 1) * minuteMs;
    const messages = harness.fake.messagesIn(chatId);
    const digests = messages.filter((message) => !message.reply_markup?.inline_keyboard.flat().some((button) => 'callback_data' in button));
    console.log(`storm: ${payloads.length} alerts for ${issues.length} issues into one group, Telegram minute = ${minuteMs} ms`);
    console.log(`  every issue visible after ${visibleMs} ms${allVisible ? '' : ' (NOT all visible)'}; queues drained (edits done) after ${drainedMs} ms`);
    console.log(`  Telegram's minimum for ${issues.length} separate messages: ${theoreticalMs} ms; ratio visible/minimum ${(visibleMs / theoreticalMs).toFixed(2)}`);
    console.log(`  messages ${messages.length - digests.length} own + ${digests.length} digests; edits ${harness.fake.callsTo('editMessageText').filter((call) => call.response.status === 200).length}; 429s ${harness.fake.stats.rateLimited}`);
  } finally {
    await harness.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-alerts-bench-'));
const redis = await startPrivateRedis({ dir: path.join(dir, 'redis'), persistent: false });
const postgres = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), fast: true });
try {
  process.env.TEST_REDIS_URL = redis.url;
  await runMigrations(postgres.url);
  await latencyRun(postgres.url);
  await stormRun(postgres.url);
} finally {
  await redis.stop();
  await postgres.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
