import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '@triage/config';
import { connectDatabase } from '@triage/db';
import { GlitchTipClient } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { buildDailyReport, defaultChartSize, pngSize, renderHistoryChart, renderReport, storeDailyReport, yesterdayIn, type ReportSources } from '@triage/reports';
import { provideServices } from './local-services';

export interface ReportOptions {
  date?: string;
  dryRun?: boolean;
  png?: string;
}

function glitchtipFor(config: Config, logger: Logger): Pick<ReportSources, 'glitchtip' | 'glitchtipMissingReason'> {
  const { baseUrl, apiToken, org, integrationEnabled } = config.glitchtip;
  if (!integrationEnabled) return { glitchtip: undefined, glitchtipMissingReason: 'GLITCHTIP_INTEGRATION_ENABLED=false' };
  if (!baseUrl || !apiToken) return { glitchtip: undefined, glitchtipMissingReason: 'GLITCHTIP_BASE_URL is not set (webhook-only mode)' };
  return { glitchtip: new GlitchTipClient({ baseUrl, token: apiToken, org, logger: logger.child({ component: 'glitchtip' }), dryRun: config.dryRun, integrationEnabled }) };
}

/**
 * `triage report [--date YYYY-MM-DD] [--dry-run] [--png file]`: builds any day's report in this process, prints it,
 * writes the chart. Without --dry-run the day's figures are kept in metrics_history (as the scheduled job does); it
 * never posts to Telegram (the daily-report job does, once per day and chat).
 */
export async function reportCommand(config: Config, logger: Logger, options: ReportOptions): Promise<number> {
  const timeZone = config.dailyReport.timeZone;
  const date = options.date ?? yesterdayIn(new Date(), timeZone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new Error(`--date must be YYYY-MM-DD, got "${date}"`);
  const services = await provideServices(config, logger, { redis: false, postgres: true });
  const database = connectDatabase(services.databaseUrl, { max: 2 });
  try {
    process.stderr.write(`Reading the figures for ${date} (${timeZone})…\n`);
    const baseUrl = config.glitchtip.baseUrl;
    const built = await buildDailyReport(
      {
        db: database.db,
        ...glitchtipFor(config, logger),
        componentTag: config.componentTag,
        timeZone,
        issueUrl: (issue) => (baseUrl ? `${baseUrl}/${issue.project.slug}/issues/${issue.id}` : undefined),
        log: logger,
        keepHours: !options.dryRun,
      },
      date,
    );
    if (!options.dryRun) {
      const stored = await storeDailyReport(database.db, built);
      if (stored === 'kept-stored') process.stderr.write(`Per-component figures are only estimated now: the ones stored for ${date} were kept.\n`);
      if (stored === 'nothing-to-store') process.stderr.write(`No per-component figures to store for ${date}: metrics_history was left as it was.\n`);
    }
    process.stdout.write(`${renderReport(built.report).plainText}\n`);
    if (options.png) {
      process.stderr.write('Rendering the chart…\n');
      const png = await renderHistoryChart(database.db, date, defaultChartSize, built.report);
      const file = path.resolve(options.png);
      fs.writeFileSync(file, png);
      const size = pngSize(png);
      process.stderr.write(`Chart written to ${file} (${size?.width ?? '?'}x${size?.height ?? '?'} PNG)\n`);
    }
    if (options.dryRun) process.stderr.write('Dry run: nothing was stored.\n');
    return 0;
  } finally {
    await database.close();
    await services.stop();
  }
}
