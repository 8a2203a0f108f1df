import path from 'node:path';
import { readConfigFiles } from './config-files';
import { crossFieldProblems, envSchema, type ParsedEnv } from './config.schema';
import type { RouteRule } from './routes-file';

export interface Config {
  redisUrl: string | undefined;
  databaseUrl: string | undefined;
  queuePrefix: string;
  dataDir: string;
  port: number;
  publicUrl: string;
  logLevel: ParsedEnv['LOG_LEVEL'];
  webhookToken: string | undefined;
  glitchtip: {
    baseUrl: string | undefined;
    apiToken: string | undefined;
    org: string | undefined;
    /** false is the emergency switch: no external writes at all. */
    integrationEnabled: boolean;
  };
  telegram: {
    botToken: string | undefined;
    chatId: string | undefined;
    apiRoot: string;
    allowedUserIds: number[];
    routesFile: string | undefined;
    /** ROUTES_FILE's rules, read and checked by loadConfig (empty without the file). */
    routes: RouteRule[];
    /** Set: the bot takes updates by webhook on `port` (Telegram calls `url`); unset: long polling. */
    webhook: { url: string; secret: string; port: number } | undefined;
  };
  repo: {
    path: string | undefined;
    webUrl: string | undefined;
    /** YAML map from GlitchTip project slug to checkout path, web URL and path prefixes to strip. */
    reposFile: string | undefined;
    fetchCron: string;
  };
  runbooksDir: string;
  /** Unset: runbooks are served by the ingress at PUBLIC_URL/runbooks/<name>. */
  runbooksBaseUrl: string | undefined;
  dailyReport: { cron: string; timeZone: string; skipEmpty: boolean };
  /** Where Triage's own health alerts go (OPS_CHAT_ID, else TELEGRAM_CHAT_ID). */
  opsChatId: string | undefined;
  experiment: { holdoutPercent: number };
  bulkMax: number;
  componentTag: string;
  components: {
    webhookHandler: boolean;
    telegramCommands: boolean;
    investigationHelper: boolean;
    runbookLinker: boolean;
    dailyMetrics: boolean;
  };
  dryRun: boolean;
  board: { user: string; password: string; readOnly: boolean } | undefined;
  worker: { queues: string[] | undefined; concurrency: number; shutdownTimeoutMs: number };
  /** Deprecations found while loading (old keys in ROUTES_FILE): each process logs them once at start. */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once and reads the files it names (ROUTES_FILE, REPOS_FILE); throws a ConfigError naming
 * every bad variable and every bad line, and why.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  // Read from the raw environment so that a bad file is listed even when some other variable is bad too.
  const files = readConfigFiles({ routesFile: env.ROUTES_FILE?.trim() || undefined, reposFile: env.REPOS_FILE?.trim() || undefined });
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`)),
    ...crossFieldProblems(env),
    ...files.problems,
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  return {
    redisUrl: e.REDIS_URL,
    databaseUrl: e.DATABASE_URL,
    queuePrefix: e.QUEUE_PREFIX,
    dataDir: path.resolve(e.DATA_DIR),
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    webhookToken: e.WEBHOOK_TOKEN,
    glitchtip: {
      baseUrl: e.GLITCHTIP_BASE_URL?.replace(/\/+$/, ''),
      apiToken: e.GLITCHTIP_API_TOKEN,
      org: e.GLITCHTIP_ORG,
      integrationEnabled: e.GLITCHTIP_INTEGRATION_ENABLED,
    },
    telegram: {
      botToken: e.TELEGRAM_BOT_TOKEN,
      chatId: e.TELEGRAM_CHAT_ID,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
      allowedUserIds: e.TELEGRAM_ALLOWED_USER_IDS,
      routesFile: e.ROUTES_FILE,
      routes: files.routes,
      webhook:
        e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
          ? { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET, port: e.TELEGRAM_WEBHOOK_PORT }
          : undefined,
    },
    repo: {
      path: e.REPO_PATH,
      webUrl: e.REPO_WEB_URL?.replace(/\/+$/, ''),
      reposFile: e.REPOS_FILE,
      fetchCron: e.REPO_FETCH_CRON,
    },
    runbooksDir: path.resolve(e.RUNBOOKS_DIR),
    runbooksBaseUrl: e.RUNBOOKS_BASE_URL?.replace(/\/+$/, ''),
    dailyReport: { cron: e.DAILY_REPORT_CRON, timeZone: e.REPORT_TZ, skipEmpty: e.REPORT_SKIP_EMPTY },
    opsChatId: e.OPS_CHAT_ID ?? e.TELEGRAM_CHAT_ID,
    experiment: { holdoutPercent: e.EXPERIMENT_HOLDOUT_PERCENT },
    bulkMax: e.BULK_MAX,
    componentTag: e.COMPONENT_TAG,
    components: {
      webhookHandler: !e.DISABLE_WEBHOOK_HANDLER,
      telegramCommands: !e.DISABLE_TELEGRAM_COMMANDS,
      investigationHelper: !e.DISABLE_INVESTIGATION_HELPER,
      runbookLinker: !e.DISABLE_RUNBOOK_LINKER,
      dailyMetrics: !e.DISABLE_DAILY_METRICS,
    },
    dryRun: e.DRY_RUN,
    board:
      e.BOARD_USER && e.BOARD_PASSWORD
        ? { user: e.BOARD_USER, password: e.BOARD_PASSWORD, readOnly: e.BOARD_READ_ONLY }
        : undefined,
    worker: {
      queues: e.WORKER_QUEUES?.split(',').map((queue) => queue.trim()).filter(Boolean),
      concurrency: e.WORKER_CONCURRENCY,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    },
    warnings: files.warnings,
  };
}

/** Reads `.env` from the working directory into process.env (real variables win), as INTERFACE.md promises. */
export function loadDotEnv(file = path.resolve('.env')): void {
  try {
    process.loadEnvFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** For processes that need a service the supervisor normally provides. */
export function requireSetting<T>(value: T | undefined, name: string, hint: string): T {
  if (value === undefined) throw new ConfigError([`${name}: is required here (${hint})`]);
  return value;
}
