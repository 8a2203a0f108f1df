import { Queue } from 'bullmq';
import type { Config } from '@triage/config';
import { queueNames } from '@triage/contracts';
import { connectDatabase } from '@triage/db';
import { GlitchTipClient, triageRequiredScopes } from '@triage/glitchtip';
import { JobStats, readQueueStates, summarizeHealth, type Reachability } from '@triage/health';
import { checkRepositories } from '@triage/investigation';
import { createLogger } from '@triage/logger';
import { createProducerConnection, waitUntilReady } from '@triage/queue';
import { TelegramBotApi } from '@triage/telegram';

const checkTimeoutMs = 10_000;
/** "Last 24 h": the hour now under way plus the 24 whole hours before it (24 buckets would cover 23 h and a part). */
const lastDayHourBuckets = 25;

async function within<T>(operation: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${checkTimeoutMs / 1000} s`)), checkTimeoutMs);
  });
  try {
    return await Promise.race([operation, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);

/** /healthz and /readyz of the running ingress, as before: one line each. */
async function ingressChecks(base: string, print: (line: string) => void): Promise<string[]> {
  const problems: string[] = [];
  for (const endpoint of ['/healthz', '/readyz']) {
    try {
      const response = await fetch(`${base}${endpoint}`, { signal: AbortSignal.timeout(checkTimeoutMs) });
      const body = await response.text();
      print(`${endpoint}  ${response.status}  ${body}`);
      if (!response.ok) problems.push(`ingress ${endpoint} answered ${response.status}`);
    } catch (error) {
      print(`${endpoint}  unreachable  ${(error as Error).message}`);
      problems.push(`ingress ${endpoint} unreachable`);
    }
  }
  return problems;
}

async function glitchtipCheck(config: Config): Promise<Reachability> {
  const { baseUrl, apiToken, org, integrationEnabled } = config.glitchtip;
  if (!baseUrl || !apiToken) return { name: 'GlitchTip', state: 'not configured', detail: 'webhook-only mode' };
  if (!integrationEnabled) return { name: 'GlitchTip', state: 'not configured', detail: 'GLITCHTIP_INTEGRATION_ENABLED=false' };
  const client = new GlitchTipClient({ baseUrl, token: apiToken, org, logger: createLogger({ name: 'health', level: 'silent' }), retries: 0, timeoutMs: checkTimeoutMs });
  try {
    const validation = await within(client.validateToken(triageRequiredScopes), 'GlitchTip');
    if (validation.ok) return { name: 'GlitchTip', state: 'ok', detail: baseUrl };
    return { name: 'GlitchTip', state: 'down', detail: [...validation.problems, ...validation.missing.map((scope) => `missing scope ${scope}`)].join(', ') };
  } catch (error) {
    return { name: 'GlitchTip', state: 'down', detail: reason(error) };
  }
}

async function telegramCheck(config: Config): Promise<Reachability> {
  const { botToken, apiRoot } = config.telegram;
  if (!botToken) return { name: 'Telegram', state: 'not configured', detail: 'alerts go to the log' };
  const api = new TelegramBotApi({ apiRoot, token: botToken, logger: createLogger({ name: 'health', level: 'silent' }), timeoutMs: checkTimeoutMs });
  try {
    const me = await api.getMe();
    return { name: 'Telegram', state: 'ok', detail: `@${me.username ?? me.first_name}` };
  } catch (error) {
    return { name: 'Telegram', state: 'down', detail: reason(error) };
  }
}

async function postgresCheck(config: Config): Promise<Reachability> {
  if (!config.databaseUrl) return { name: 'Postgres', state: 'not configured', detail: 'DATABASE_URL unset: see /readyz for the embedded one' };
  const database = connectDatabase(config.databaseUrl, { max: 1 });
  try {
    const up = await within(database.ping(), 'Postgres');
    return up ? { name: 'Postgres', state: 'ok' } : { name: 'Postgres', state: 'down', detail: 'ping failed' };
  } catch (error) {
    return { name: 'Postgres', state: 'down', detail: reason(error) };
  } finally {
    await database.close().catch(() => undefined);
  }
}

async function repositoryChecks(config: Config): Promise<Reachability[]> {
  const checks = await checkRepositories(config);
  return checks.map((check) => ({ name: `repo ${check.project}`, state: check.ok ? 'ok' : 'down', detail: check.ok ? check.path : check.problem }));
}

/**
 * `triage health`: the ingress's /healthz and /readyz, then (with REDIS_URL) each job type's last 24 h and each
 * queue's depth, then whether Redis, Postgres, GlitchTip, Telegram and each repository answer. Exit 1 with the
 * reasons on one line when something is wrong.
 */
export async function healthCommand(config: Config, options: { url?: string }): Promise<number> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const base = (options.url ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  const otherProblems = await ingressChecks(base, print);
  const reachability: Reachability[] = [];
  let jobs: Parameters<typeof summarizeHealth>[0]['jobs'];
  let queueStates: Parameters<typeof summarizeHealth>[0]['queues'];
  if (config.redisUrl) {
    const redis = createProducerConnection(config.redisUrl);
    redis.on('error', () => undefined);
    const queues = queueNames.map((name) => new Queue(name, { connection: redis, prefix: config.queuePrefix }));
    try {
      if (!(await waitUntilReady(redis, checkTimeoutMs))) throw new Error(`no connection to ${new URL(config.redisUrl).host} within ${checkTimeoutMs / 1000} s`);
      await within(redis.ping(), 'Redis');
      reachability.push({ name: 'Redis', state: 'ok' });
      const stats = new JobStats(redis, config.queuePrefix);
      jobs = await Promise.all(queueNames.map(async (queue) => ({ queue, window: await stats.lastHours(queue, lastDayHourBuckets) })));
      queueStates = await readQueueStates(queues, stats);
    } catch (error) {
      reachability.push({ name: 'Redis', state: 'down', detail: reason(error) });
    } finally {
      await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
      redis.disconnect();
    }
  } else {
    reachability.push({ name: 'Redis', state: 'not configured', detail: 'REDIS_URL unset: see /readyz for the private one' });
  }
  reachability.push(await postgresCheck(config), await glitchtipCheck(config), await telegramCheck(config), ...(await repositoryChecks(config)));
  const summary = summarizeHealth({ now: new Date(), jobs, queues: queueStates, reachability, otherProblems });
  for (const line of summary.lines) print(line);
  print('');
  if (summary.problems.length === 0) {
    print('healthy');
    return 0;
  }
  print(`unhealthy: ${summary.problems.join('; ')}`);
  return 1;
}
