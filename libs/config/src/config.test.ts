import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.queuePrefix).toBe('{triage}');
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.telegram.apiRoot).toBe('https://api.telegram.org');
    expect(config.telegram.allowedUserIds).toEqual([]);
    expect(config.dailyReport).toEqual({ cron: '0 9 * * *', timeZone: 'UTC', skipEmpty: false });
    expect(config.repo.fetchCron).toBe('*/10 * * * *');
    expect(config.experiment.holdoutPercent).toBe(0);
    expect(config.bulkMax).toBe(500);
    expect(config.opsChatId).toBeUndefined();
    expect(config.componentTag).toBe('component');
    expect(config.glitchtip.integrationEnabled).toBe(true);
    expect(config.components).toEqual({
      webhookHandler: true,
      telegramCommands: true,
      investigationHelper: true,
      runbookLinker: true,
      dailyMetrics: true,
    });
    expect(config.dryRun).toBe(false);
    expect(config.board).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
  });

  it('parses a full valid environment', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://10.0.0.5:6380/2',
      DATABASE_URL: 'postgres://u:p@db:5432/triage',
      QUEUE_PREFIX: '{ops}',
      PORT: '8080',
      PUBLIC_URL: 'https://triage.example.com/',
      GLITCHTIP_BASE_URL: 'https://glitchtip.example.com/',
      GLITCHTIP_API_TOKEN: 'a'.repeat(64),
      TELEGRAM_BOT_TOKEN: '123456:ABC-DEF_ghi',
      TELEGRAM_CHAT_ID: '-1001234567890',
      TELEGRAM_ALLOWED_USER_IDS: '11, 22,33',
      DAILY_REPORT_CRON: '30 7 * * 1-5',
      REPORT_TZ: 'Europe/Berlin',
      DRY_RUN: 'true',
      DISABLE_RUNBOOK_LINKER: '1',
      GLITCHTIP_INTEGRATION_ENABLED: 'false',
      BOARD_USER: 'ops',
      BOARD_PASSWORD: 'long-enough',
    });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://triage.example.com');
    expect(config.glitchtip.baseUrl).toBe('https://glitchtip.example.com');
    expect(config.telegram.allowedUserIds).toEqual([11, 22, 33]);
    expect(config.dailyReport).toEqual({ cron: '30 7 * * 1-5', timeZone: 'Europe/Berlin', skipEmpty: false });
    expect(config.dryRun).toBe(true);
    expect(config.components.runbookLinker).toBe(false);
    expect(config.glitchtip.integrationEnabled).toBe(false);
    expect(config.board).toEqual({ user: 'ops', password: 'long-enough', readOnly: true });
  });

  it('names every missing dependent variable', () => {
    expect(problemsOf({ GLITCHTIP_BASE_URL: 'http://gt:8000', TELEGRAM_BOT_TOKEN: '1:abc' })).toEqual([
      'GLITCHTIP_API_TOKEN: is required when GLITCHTIP_BASE_URL is set',
      'TELEGRAM_CHAT_ID: is required when TELEGRAM_BOT_TOKEN is set (or give ROUTES_FILE)',
    ]);
    expect(problemsOf({ BOARD_USER: 'ops' })).toEqual(['BOARD_PASSWORD: BOARD_USER and BOARD_PASSWORD must be set together']);
  });

  it('lists every malformed variable with its reason in one error', () => {
    const problems = problemsOf({
      REDIS_URL: 'localhost:6379',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      DRY_RUN: 'maybe',
      GLITCHTIP_BASE_URL: 'http://gt',
      GLITCHTIP_API_TOKEN: 'short',
      TELEGRAM_ALLOWED_USER_IDS: '12,bob',
      DAILY_REPORT_CRON: 'every day',
      REPORT_TZ: 'Mars/Olympus',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'REDIS_URL: must be a URL (redis: or rediss:)',
        'PORT: must be a number',
        'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
        'DRY_RUN: must be true or false',
        'TELEGRAM_ALLOWED_USER_IDS: must be comma-separated numeric Telegram user ids',
        'DAILY_REPORT_CRON: must be a five-field cron pattern such as "0 9 * * *"',
        'REPORT_TZ: must be an IANA time zone such as "Europe/Berlin"',
        'GLITCHTIP_API_TOKEN: must be at least 32 characters (GlitchTip tokens are 64 hex characters)',
      ]),
    );
    expect(problems).toHaveLength(8);
    const message = new ConfigError(problems).message;
    expect(message.split('\n')[0]).toBe('Invalid configuration:');
  });
});

describe('settings for investigation, runbooks, reports, health and outcomes', () => {
  it.each([
    ['OPS_CHAT_ID falls back to TELEGRAM_CHAT_ID', { TELEGRAM_CHAT_ID: '-100123' }, (c: ReturnType<typeof loadConfig>) => c.opsChatId, '-100123'],
    ['OPS_CHAT_ID wins', { TELEGRAM_CHAT_ID: '-100123', OPS_CHAT_ID: '-100999' }, (c: ReturnType<typeof loadConfig>) => c.opsChatId, '-100999'],
    ['holdout percent', { EXPERIMENT_HOLDOUT_PERCENT: '12.5' }, (c: ReturnType<typeof loadConfig>) => c.experiment.holdoutPercent, 12.5],
    ['bulk max', { BULK_MAX: '40' }, (c: ReturnType<typeof loadConfig>) => c.bulkMax, 40],
    ['repo fetch cron', { REPO_FETCH_CRON: '*/5 * * * *' }, (c: ReturnType<typeof loadConfig>) => c.repo.fetchCron, '*/5 * * * *'],
    ['runbooks base url without trailing slash', { RUNBOOKS_BASE_URL: 'https://wiki.example.com/rb/' }, (c: ReturnType<typeof loadConfig>) => c.runbooksBaseUrl, 'https://wiki.example.com/rb'],
    ['skip empty reports', { REPORT_SKIP_EMPTY: 'true' }, (c: ReturnType<typeof loadConfig>) => c.dailyReport.skipEmpty, true],
  ])('%s', (_name, env, read, expected) => {
    expect(read(loadConfig(env))).toEqual(expected);
  });

  it('refuses out-of-range values with a reason', () => {
    expect(problemsOf({ EXPERIMENT_HOLDOUT_PERCENT: '150', BULK_MAX: '0', OPS_CHAT_ID: 'ops', REPO_FETCH_CRON: 'often' })).toEqual(
      expect.arrayContaining([
        expect.stringContaining('EXPERIMENT_HOLDOUT_PERCENT'),
        expect.stringContaining('BULK_MAX'),
        expect.stringContaining('OPS_CHAT_ID'),
        expect.stringContaining('REPO_FETCH_CRON'),
      ]),
    );
  });
});

describe('configuration files (ROUTES_FILE, REPOS_FILE) are read and checked by loadConfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-config-files-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a ROUTES_FILE that cannot be read, and says so with the variable', () => {
    const missing = path.join(dir, 'nope.yaml');
    expect(problemsOf({ ROUTES_FILE: missing })).toEqual([`ROUTES_FILE: cannot read ${missing}: no such file`]);
    expect(problemsOf({ ROUTES_FILE: dir })).toEqual([`ROUTES_FILE: cannot read ${dir}: is a directory`]);
  });

  it('lists every bad line of the routes file with the other bad variables, in one error', () => {
    const file = write('bad-routes.yaml', 'routes:\n  - chat_id: general\n  - match: { level: loud }\n    chat_id: 1\n');
    expect(problemsOf({ ROUTES_FILE: file, PORT: 'eighty' })).toEqual([
      'PORT: must be a number',
      `${file}:2:14: routes[0].chat_id: must be a numeric chat id (e.g. -1001234567890) or @channelusername`,
      `${file}:3:21: routes[1].match.level: must be one of sample, debug, info, warning, error, fatal, optionally followed by + (e.g. error+)`,
    ]);
  });

  it('hands the parsed rules to the processes, and the deprecated keys as warnings', () => {
    const file = write('routes.yaml', 'routes:\n  - match: { project: web }\n    chatId: -100777\n  - chat_id: -100888\n    message_thread_id: 4\n');
    const config = loadConfig({ ROUTES_FILE: file, TELEGRAM_BOT_TOKEN: '1:abc' });
    expect(config.telegram.routes).toEqual([
      { match: { project: ['web'] }, chatId: '-100777' },
      { match: {}, chatId: '-100888', threadId: 4 },
    ]);
    expect(config.warnings).toEqual([`${file}:3:5: routes[0].chatId: "chatId" is deprecated; write "chat_id"`]);
    expect(loadConfig({}).telegram.routes).toEqual([]);
  });

  it('refuses a REPOS_FILE that cannot be read', () => {
    const missing = path.join(dir, 'repos.yaml');
    expect(problemsOf({ REPOS_FILE: missing })).toEqual([`REPOS_FILE: cannot read ${missing}: no such file`]);
  });
});
