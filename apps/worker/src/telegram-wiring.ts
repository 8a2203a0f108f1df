import type { Redis } from 'ioredis';
import type { Config } from '@triage/config';
import type { Logger } from '@triage/logger';
import { ChatPacer, TelegramBotApi, type RouteRule } from '@triage/telegram';
import { SwitchedOffTelegramBotApi } from './integration-switch';

export interface TelegramWiring {
  telegram: TelegramBotApi | undefined;
  pacer: ChatPacer;
  routes: RouteRule[];
}

/** The Bot API client (unless TELEGRAM_BOT_TOKEN is unset), the shared pacer, and the routes loadConfig read and checked. */
export function createTelegramWiring(config: Config, logger: Logger, redis: Redis): TelegramWiring {
  const { botToken, apiRoot, routes } = config.telegram;
  const options = botToken ? { apiRoot, token: botToken, logger: logger.child({ component: 'telegram' }), dryRun: config.dryRun } : undefined;
  const switchedOff = !config.glitchtip.integrationEnabled;
  const telegram = options ? (switchedOff ? new SwitchedOffTelegramBotApi(options, logger) : new TelegramBotApi(options)) : undefined;
  if (!telegram) logger.info('TELEGRAM_BOT_TOKEN unset: alerts go to the log');
  else if (switchedOff) logger.warn('GLITCHTIP_INTEGRATION_ENABLED=false: every Telegram write is refused (alerts are recorded, not sent)');
  return { telegram, pacer: new ChatPacer({ redis, prefix: config.queuePrefix }), routes };
}
