import type { Redis } from 'ioredis';
import type { Config } from '@triage/config';
import type { Database } from '@triage/db';
import type { GlitchTipClient } from '@triage/glitchtip';
import type { Producer } from '@triage/queue';
import type { ChatPacer, RouteRule, TelegramBotApi } from '@triage/telegram';

/** What every handler may use; built once per worker process in apps/worker. */
export interface WorkerDeps {
  config: Config;
  db: Database;
  /** For Triage's own keys (dedup marks, pacing, mutes); always under config.queuePrefix. */
  redis: Redis;
  /** To enqueue follow-up jobs. */
  producer: Producer;
  /** Unset in webhook-only mode (no GLITCHTIP_BASE_URL). */
  glitchtip: GlitchTipClient | undefined;
  /** Unset when TELEGRAM_BOT_TOKEN is unset: alerts then go to the log. */
  telegram: TelegramBotApi | undefined;
  /** Redis-backed per-chat / per-group / global Telegram budgets, shared by every worker process. */
  pacer: ChatPacer;
  /** Rules from ROUTES_FILE (empty: everything to TELEGRAM_CHAT_ID). */
  routes: RouteRule[];
  /** Queue names this build has handlers for: fan-out skips the others with a log line. */
  handledQueues: ReadonlySet<string>;
}
