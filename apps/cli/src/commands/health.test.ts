import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { investigate } from '@triage/contracts';
import { JobStats } from '@triage/health';
import { findFreePort } from '@triage/embedded';
import {
  createGlitchTipFake,
  createTelegramFake,
  createTestDatabase,
  repoRoot,
  testRedisUrl,
  uniquePrefix,
  type TestDatabase,
} from '@triage/testing';

const apiToken = 'c'.repeat(64);
const botToken = '123456:TEST-health-token';

/** `triage health` against real Redis and Postgres, the GlitchTip and Telegram fakes, and this repository as the checkout. */
describe('triage health', () => {
  const glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'event:write', 'org:read', 'project:read'], org: 'acme' });
  const telegram = createTelegramFake({ token: botToken, chats: [{ id: -1001000000099, type: 'supergroup' }] });
  const prefix = uniquePrefix('health');
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  let database: TestDatabase;
  let closedPort: number;

  const env = (overrides: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_OPTIONS: '',
    LOG_LEVEL: 'silent',
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    DATABASE_URL: database.url,
    GLITCHTIP_BASE_URL: glitchtip.url,
    GLITCHTIP_API_TOKEN: apiToken,
    GLITCHTIP_ORG: 'acme',
    TELEGRAM_BOT_TOKEN: botToken,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_CHAT_ID: '-1001000000099',
    REPO_PATH: repoRoot,
    ...overrides,
  });
  const health = (overrides: Record<string, string> = {}) =>
    execa('node', ['bin/triage.js', 'health', '--url', `http://127.0.0.1:${closedPort}`], { cwd: repoRoot, env: env(overrides), extendEnv: false, reject: false, timeout: 60_000 });

  beforeAll(async () => {
    await glitchtip.start();
    await telegram.start();
    database = await createTestDatabase();
    closedPort = await findFreePort();
    const stats = new JobStats(redis, prefix);
    for (const duration of [40, 60, 80]) await stats.record('send-alert', 'completed', duration);
    await stats.record('send-alert', 'failed', 2_000);
    // 23 h 59 min ago: in the hour bucket 24 hours back, which "the last 24 h" must include.
    await stats.record('send-alert', 'completed', 40, new Date(Date.now() - 24 * 3_600_000 + 60_000));
  });

  afterAll(async () => {
    redis.disconnect();
    await database.drop();
    await telegram.stop();
    await glitchtip.stop();
  });

  it('prints each job type\'s last 24 h, queue depths and what is reachable; exits 1 naming the unreachable ingress', async () => {
    const result = await health();
    const lines = result.stdout.split('\n');
    expect(lines).toContain('  send-alert              4       1    80.0%  ≤2.5 s');
    expect(lines).toContain('  Redis              ok');
    expect(lines).toContain('  Postgres           ok');
    expect(lines).toContain(`  GlitchTip          ok (${glitchtip.url})`);
    expect(lines.some((line) => /^ {2}Telegram {11}ok \(@/.test(line))).toBe(true);
    expect(lines).toContain(`  repo *             ok (${repoRoot})`);
    expect(result.exitCode).toBe(1);
    expect(lines.at(-1) === '' ? lines.at(-2) : lines.at(-1)).toBe('unhealthy: ingress /healthz unreachable; ingress /readyz unreachable');
  });

  it('a stuck queue, a missing repository and an unreachable Telegram are each named on the one line', async () => {
    const queue = new Queue(investigate.name, { connection: redis, prefix });
    await queue.add(investigate.name, { issueId: '3' }, { timestamp: Date.now() - 15 * 60_000 });
    try {
      const result = await health({ TELEGRAM_API_ROOT: `http://127.0.0.1:${closedPort}`, REPO_PATH: '/nonexistent/checkout' });
      expect(result.exitCode).toBe(1);
      const last = result.stdout.trimEnd().split('\n').at(-1)!;
      expect(last).toMatch(/^unhealthy: /);
      // Minutes are rounded, and the CLI may take a while to start on a busy machine.
      expect(last).toMatch(/queue investigate: 1 waiting, oldest added 1[5-7] min ago, last job started or finished never/);
      expect(last).toMatch(/Telegram down: .*ECONNREFUSED/);
      expect(last).toContain('repo * down: /nonexistent/checkout does not exist');
      expect(result.stdout).toMatch(/ {2}investigate +1 +0 +0 +0 {2}1[5-7] min ago {2}STUCK/);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
