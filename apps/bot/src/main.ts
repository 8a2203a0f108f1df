import { Telegraf } from 'telegraf';
import { ConfigError, loadConfig, loadDotEnv, requireSetting } from '@triage/config';
import { connectDatabase, recordAudit } from '@triage/db';
import { runUntilSignal } from '@triage/lifecycle';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection, waitUntilReady } from '@triage/queue';
import { createBot } from './bot';
import { commandList } from './command-args';

const allowedUpdates = ['message', 'callback_query'] as const;

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const token = requireSetting(config.telegram.botToken, 'TELEGRAM_BOT_TOKEN', 'the bot has nothing to do without one');
  const redisUrl = requireSetting(config.redisUrl, 'REDIS_URL', '`npm start` provides a private Redis; set it when running the bot alone');
  const databaseUrl = requireSetting(config.databaseUrl, 'DATABASE_URL', 'refused actions are audited; `npm start` provides an embedded Postgres');
  const logger = createLogger({ name: 'bot', level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);

  const connection = createProducerConnection(redisUrl);
  connection.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const producer = new Producer({ connection, prefix: config.queuePrefix });
  if (!(await waitUntilReady(connection, 5_000))) logger.warn('Redis not reachable yet; button presses are refused until it is');
  const database = connectDatabase(databaseUrl, { max: 2 });

  const bot = createBot({
    bot: new Telegraf(token, { telegram: { apiRoot: config.telegram.apiRoot } }),
    producer,
    config,
    logger,
    audit: (entry) => recordAudit(database.db, entry),
    redis: connection,
  });

  if (!config.glitchtip.integrationEnabled) {
    logger.warn('GLITCHTIP_INTEGRATION_ENABLED=false: no Telegram writes (command list not registered, presses not answered)');
  } else {
    try {
      await bot.telegram.setMyCommands(commandList.map(({ command, description }) => ({ command, description })));
    } catch (error) {
      logger.warn({ err: error }, 'could not register the command list with Telegram; commands still work');
    }
  }

  const webhook = config.telegram.webhook;
  if (webhook) {
    const url = new URL(webhook.url);
    // Telegraf's webhook server answers only POSTs to this path whose X-Telegram-Bot-Api-Secret-Token matches.
    await bot.launch({
      allowedUpdates: [...allowedUpdates],
      webhook: { domain: url.host, path: url.pathname, port: webhook.port, secretToken: webhook.secret },
    });
    logger.info({ url: `${url.origin}${url.pathname}`, port: webhook.port, commands: config.components.telegramCommands }, 'bot started (webhook)');
  } else {
    bot
      .launch({ allowedUpdates: [...allowedUpdates] }, () =>
        logger.info({ commands: config.components.telegramCommands, allowedUsers: config.telegram.allowedUserIds.length }, 'bot started (long polling)'),
      )
      .catch((error: unknown) => {
        logger.error({ err: error }, 'polling stopped with an error');
        process.exit(1);
      });
  }

  runUntilSignal(logger, [
    {
      name: 'stop taking updates',
      run: () => {
        bot.stop('shutdown');
        return Promise.resolve();
      },
    },
    { name: 'close producer', run: () => producer.close() },
    { name: 'close postgres', run: () => database.close() },
    { name: 'close redis', run: async () => void (await connection.quit()) },
  ]);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('bot failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
