import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import type { Config } from '@triage/config';
import { connectDatabase } from '@triage/db';
import type { Logger } from '@triage/logger';
import { maxReviewWeeks, renderResolveChart, renderReview, weeklyReview } from '@triage/reports';
import { provideServices } from './local-services';

export interface ReviewOptions {
  weeks?: string;
  dryRun?: boolean;
  png?: string;
}

/**
 * `triage review [--weeks N] [--dry-run] [--png file]`: the weekly review of the last N whole weeks, printed. Without
 * --dry-run the episodes' help facts are brought up to date first (as the scheduled job does); it never posts to
 * Telegram (the weekly-review job does, once per week and chat).
 */
export async function reviewCommand(config: Config, logger: Logger, options: ReviewOptions): Promise<number> {
  const weeks = options.weeks === undefined ? 1 : Number(options.weeks);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > maxReviewWeeks) throw new Error(`--weeks must be a whole number from 1 to ${maxReviewWeeks}, got "${options.weeks}"`);
  const services = await provideServices(config, logger, { redis: false, postgres: true });
  const database = connectDatabase(services.databaseUrl, { max: 2 });
  // Job statistics live in Redis: read them when REDIS_URL says where; `npm start`'s private Redis is its own.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true }) : undefined;
  try {
    await redis?.connect();
    process.stderr.write(`Reading ${weeks} week(s) of outcomes (${config.dailyReport.timeZone})…\n`);
    const review = await weeklyReview(
      { db: database.db, redis, queuePrefix: config.queuePrefix, timeZone: config.dailyReport.timeZone, holdoutPercent: config.experiment.holdoutPercent },
      { at: new Date(), weeks, readOnly: options.dryRun },
    );
    process.stdout.write(`${renderReview(review).text}\n`);
    if (!redis) process.stdout.write('(job statistics need REDIS_URL)\n');
    if (options.png) {
      const file = path.resolve(options.png);
      fs.writeFileSync(file, await renderResolveChart(review));
      process.stderr.write(`Chart written to ${file}\n`);
    }
    if (options.dryRun) process.stderr.write('Dry run: nothing was stored.\n');
    return 0;
  } finally {
    redis?.disconnect();
    await database.close();
    await services.stop();
  }
}

export function registerReviewCommand(program: Command, setup: () => { config: Config; logger: Logger }): void {
  program
    .command('review')
    .description('the weekly review: time to acknowledge and resolve per A/B group with a Welch t-test, votes, runbook links, jobs, tool use')
    .option('--weeks <n>', `whole weeks to cover, ending last Monday (1-${maxReviewWeeks}, default 1)`)
    .option('--dry-run', 'compute and print; store nothing')
    .option('--png <file>', 'also write the time-to-resolve chart')
    .action(async (options: ReviewOptions) => {
      const { config, logger } = setup();
      process.exitCode = await reviewCommand(config, logger, options);
    });
}
