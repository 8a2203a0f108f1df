import type { Redis } from 'ioredis';
import type { Config } from '@triage/config';
import type { Database } from '@triage/db';
import type { ChatPacer, TelegramBotApi } from '@triage/telegram';
import type { HandlerContext } from '@triage/worker-runtime';

/** What delivery needs from a worker's deps (WorkerDeps has all of it). */
export interface DeliveryDeps {
  config: Config;
  db: Database;
  /** Delivery records, chat migrations, waiting sets, counters: always under config.queuePrefix. */
  redis: Redis;
  telegram: TelegramBotApi | undefined;
  pacer: ChatPacer;
}

export type DeliveryContext = Pick<HandlerContext<DeliveryDeps>, 'deps' | 'job' | 'token' | 'log' | 'worker'>;
