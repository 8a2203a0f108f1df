import { z } from 'zod';

const booleanFlag = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { message: 'must be true or false' })
    .optional()
    .transform((value) => (value === undefined || value === '' ? defaultValue : ['true', '1', 'yes'].includes(value)));

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const optionalUrl = (protocols: string[]) =>
  optionalString.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL (${protocols.join(' or ')})` },
  );

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const telegramIdList = optionalString
  .refine((value) => value === undefined || value.split(',').every((id) => /^-?\d+$/.test(id.trim())), {
    message: 'must be comma-separated numeric Telegram user ids',
  })
  .transform((value) => (value === undefined ? [] : value.split(',').map((id) => Number(id.trim()))));

const queuePrefix = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? '{triage}' : value))
  .refine((value) => !/\s/.test(value), { message: 'must not contain whitespace' });

/** Five-field cron (minute hour day month weekday), the form BullMQ job schedulers take. */
const cronField = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;
const cronPattern = (defaultValue: string) => z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? defaultValue : value.trim()))
  .refine((value) => {
    const fields = value.split(/\s+/);
    return fields.length === 5 && fields.every((field) => cronField.test(field));
  }, { message: 'must be a five-field cron pattern such as "0 9 * * *"' });

const timeZone = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? 'UTC' : value))
  .refine((value) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }, { message: 'must be an IANA time zone such as "Europe/Berlin"' });

const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  })
  .optional()
  .transform((value) => value ?? 'info');

/** Every variable of shared/INTERFACE.md, plus the process-role knobs the worker and CLI use. */
export const envSchema = z
  .object({
    REDIS_URL: optionalUrl(['redis:', 'rediss:']),
    DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
    QUEUE_PREFIX: queuePrefix,
    DATA_DIR: optionalString.transform((value) => value ?? './.data'),
    PORT: port.optional().transform((value) => value ?? 3000),
    PUBLIC_URL: optionalUrl(['http:', 'https:']),
    LOG_LEVEL: logLevel,
    WEBHOOK_TOKEN: optionalString.refine((value) => value === undefined || value.length >= 16, {
      message: 'must be at least 16 characters (leave unset to have one generated)',
    }),
    GLITCHTIP_BASE_URL: optionalUrl(['http:', 'https:']),
    GLITCHTIP_API_TOKEN: optionalString,
    GLITCHTIP_ORG: optionalString,
    TELEGRAM_BOT_TOKEN: optionalString.refine((value) => value === undefined || /^\d+:[A-Za-z0-9_-]+$/.test(value), {
      message: 'must look like 123456:ABC-DEF (the token BotFather gave you)',
    }),
    TELEGRAM_CHAT_ID: optionalString.refine((value) => value === undefined || /^(-?\d+|@[A-Za-z0-9_]{5,})$/.test(value), {
      message: 'must be a numeric chat id (e.g. -1001234567890) or @channelusername',
    }),
    TELEGRAM_API_ROOT: optionalUrl(['http:', 'https:']).transform((value) => value ?? 'https://api.telegram.org'),
    TELEGRAM_ALLOWED_USER_IDS: telegramIdList,
    TELEGRAM_WEBHOOK_URL: optionalUrl(['https:']),
    TELEGRAM_WEBHOOK_SECRET: optionalString.refine((value) => value === undefined || /^[A-Za-z0-9_-]{16,256}$/.test(value), {
      message: 'must be 16-256 characters of A-Z a-z 0-9 _ - (Telegram echoes it in X-Telegram-Bot-Api-Secret-Token)',
    }),
    TELEGRAM_WEBHOOK_PORT: port.optional().transform((value) => value ?? 8443),
    ROUTES_FILE: optionalString,
    REPO_PATH: optionalString,
    REPO_WEB_URL: optionalUrl(['http:', 'https:']),
    REPOS_FILE: optionalString,
    REPO_FETCH_CRON: cronPattern('*/10 * * * *'),
    RUNBOOKS_DIR: optionalString.transform((value) => value ?? './runbooks'),
    RUNBOOKS_BASE_URL: optionalUrl(['http:', 'https:']),
    REPORT_SKIP_EMPTY: booleanFlag(false),
    OPS_CHAT_ID: optionalString.refine((value) => value === undefined || /^(-?\d+|@[A-Za-z0-9_]{5,})$/.test(value), {
      message: 'must be a numeric chat id (e.g. -1001234567890) or @channelusername',
    }),
    EXPERIMENT_HOLDOUT_PERCENT: z.coerce
      .number({ message: 'must be a number' })
      .min(0, 'must be between 0 and 100')
      .max(100, 'must be between 0 and 100')
      .optional()
      .transform((value) => value ?? 0),
    BULK_MAX: z.coerce
      .number({ message: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .optional()
      .transform((value) => value ?? 500),
    DAILY_REPORT_CRON: cronPattern('0 9 * * *'),
    REPORT_TZ: timeZone,
    COMPONENT_TAG: optionalString.transform((value) => value ?? 'component'),
    GLITCHTIP_INTEGRATION_ENABLED: booleanFlag(true),
    DISABLE_WEBHOOK_HANDLER: booleanFlag(false),
    DISABLE_TELEGRAM_COMMANDS: booleanFlag(false),
    DISABLE_INVESTIGATION_HELPER: booleanFlag(false),
    DISABLE_RUNBOOK_LINKER: booleanFlag(false),
    DISABLE_DAILY_METRICS: booleanFlag(false),
    DRY_RUN: booleanFlag(false),
    BOARD_USER: optionalString,
    BOARD_PASSWORD: optionalString,
    BOARD_READ_ONLY: booleanFlag(true),
    WORKER_QUEUES: optionalString,
    WORKER_CONCURRENCY: z.coerce
      .number({ message: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(100, 'must be at most 100')
      .optional()
      .transform((value) => value ?? 5),
    SHUTDOWN_TIMEOUT_MS: z.coerce
      .number({ message: 'must be a number' })
      .int('must be an integer')
      .min(1000, 'must be at least 1000')
      .optional()
      .transform((value) => value ?? 60_000),
  });

/**
 * Rules across variables. Kept apart from envSchema because zod skips an object's refinements once any field
 * fails, and the start-up message must list every bad variable at once.
 */
export function crossFieldProblems(env: NodeJS.ProcessEnv): string[] {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const problems: string[] = [];
  if (value('GLITCHTIP_BASE_URL') && !value('GLITCHTIP_API_TOKEN')) {
    problems.push('GLITCHTIP_API_TOKEN: is required when GLITCHTIP_BASE_URL is set');
  }
  const token = value('GLITCHTIP_API_TOKEN');
  if (token && token.length < 32) {
    problems.push('GLITCHTIP_API_TOKEN: must be at least 32 characters (GlitchTip tokens are 64 hex characters)');
  }
  if (value('TELEGRAM_BOT_TOKEN') && !value('TELEGRAM_CHAT_ID') && !value('ROUTES_FILE')) {
    problems.push('TELEGRAM_CHAT_ID: is required when TELEGRAM_BOT_TOKEN is set (or give ROUTES_FILE)');
  }
  if ((value('TELEGRAM_WEBHOOK_URL') === undefined) !== (value('TELEGRAM_WEBHOOK_SECRET') === undefined)) {
    problems.push(`${value('TELEGRAM_WEBHOOK_URL') ? 'TELEGRAM_WEBHOOK_SECRET' : 'TELEGRAM_WEBHOOK_URL'}: TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET must be set together`);
  }
  if ((value('BOARD_USER') === undefined) !== (value('BOARD_PASSWORD') === undefined)) {
    problems.push(`${value('BOARD_USER') ? 'BOARD_PASSWORD' : 'BOARD_USER'}: BOARD_USER and BOARD_PASSWORD must be set together`);
  }
  const password = value('BOARD_PASSWORD');
  if (password !== undefined && password.length < 8) problems.push('BOARD_PASSWORD: must be at least 8 characters');
  return problems;
}

export type RawEnv = z.input<typeof envSchema>;
export type ParsedEnv = z.output<typeof envSchema>;
