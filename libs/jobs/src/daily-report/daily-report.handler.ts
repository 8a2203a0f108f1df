import { dailyReport } from '@triage/contracts';
import { currentChatId } from '@triage/delivery';
import { buildDailyReport, collectIssueHours, deliveryStatus, renderHistoryChart, renderReport, storeDailyReport, type ReportSources } from '@triage/reports';
import { defineHandler } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { deliverReport } from './report-delivery';
import { reportDate } from './report-date';

/** Versioned: a changed DAILY_REPORT_CRON or REPORT_TZ updates this scheduler in place; a new version replaces it. */
export const dailyReportSchedulerId = 'daily-report-v1';
/** Every 30 minutes: keeps each issue's hourly counts before GlitchTip drops them (it holds 24 h). */
export const issueHoursSchedulerId = 'daily-report-hours-v1';
export const issueHoursEveryMs = 30 * 60_000;

export function reportSources(deps: WorkerDeps, log: ReportSources['log']): ReportSources {
  const { config } = deps;
  const baseUrl = config.glitchtip.baseUrl;
  return {
    db: deps.db,
    glitchtip: config.glitchtip.integrationEnabled ? deps.glitchtip : undefined,
    glitchtipMissingReason: !config.glitchtip.integrationEnabled ? 'GLITCHTIP_INTEGRATION_ENABLED=false' : 'GLITCHTIP_BASE_URL is not set (webhook-only mode)',
    componentTag: config.componentTag,
    timeZone: config.dailyReport.timeZone,
    issueUrl: (issue) => (baseUrl ? `${baseUrl}/${issue.project.slug}/issues/${issue.id}` : undefined),
    log,
    keepHours: true,
  };
}

export interface DailyReportHandlerOptions {
  /** The chart renderer (tests give one that fails, to check the text still goes out). */
  renderChart?: (db: WorkerDeps['db'], date: string) => Promise<Buffer>;
  /** The clock the figures are read at (tests run against a GlitchTip fake with its own clock). */
  now?: () => Date;
}

export const createDailyReportHandler = ({ renderChart = renderHistoryChart, now = () => new Date() }: DailyReportHandlerOptions = {}) => defineHandler<WorkerDeps, typeof dailyReport>({
  contract: dailyReport,
  concurrency: 1,
  schedules: (deps) =>
    deps.config.components.dailyMetrics
      ? [
          { id: dailyReportSchedulerId, repeat: { pattern: deps.config.dailyReport.cron, tz: deps.config.dailyReport.timeZone }, data: { dryRun: false, collectHours: false } },
          ...(deps.glitchtip && deps.config.glitchtip.integrationEnabled
            ? [{ id: issueHoursSchedulerId, repeat: { every: issueHoursEveryMs }, data: { dryRun: false, collectHours: true } }]
            : []),
        ]
      : [],
  async handle(payload, context) {
    const { deps, job, log } = context;
    const { config } = deps;
    if (!config.components.dailyMetrics && !payload.date) {
      log.info('DISABLE_DAILY_METRICS=true: no daily report');
      return { action: 'disabled' };
    }
    if (payload.collectHours) {
      if (!deps.glitchtip || !config.glitchtip.integrationEnabled) return { action: 'no GlitchTip API' };
      const collected = await collectIssueHours(deps.db, deps.glitchtip, now());
      log.debug(collected, 'issue hours kept');
      return { action: 'hours-kept', ...collected };
    }
    const date = reportDate(payload.date, job, config.dailyReport.timeZone);
    const dryRun = payload.dryRun || config.dryRun;
    // A group that became a supergroup is followed (the alert path records the move).
    const chatId = config.telegram.chatId ? await currentChatId(deps.redis, config.queuePrefix, config.telegram.chatId) : undefined;
    if (chatId && deps.telegram && !dryRun) {
      const status = await deliveryStatus(deps.db, date, chatId);
      if (status === 'sent' || status === 'skipped') return { date, action: 'already-sent' };
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const built = await buildDailyReport(reportSources(deps, log), date, now(), lastAttempt ? 'caveat' : 'throw');
    const stored = await storeDailyReport(deps.db, built);
    if (stored !== 'stored') log.info({ date, components: built.components, stored }, 'metrics_history left as it was: this run has no exact per-component figures');
    const rendered = renderReport(built.report);
    if (!deps.telegram || !chatId || dryRun) {
      log.info({ date, report: rendered.plainText, dryRun }, dryRun ? 'dry run: daily report not sent' : 'daily report (Telegram off or no TELEGRAM_CHAT_ID)');
      return { action: dryRun ? 'dry-run' : 'logged', date };
    }
    if (built.report.empty && config.dailyReport.skipEmpty) {
      log.info({ date }, 'no errors that day and REPORT_SKIP_EMPTY=true: no report');
      return { action: 'skipped-empty', date };
    }
    let png: Buffer | undefined;
    if (!built.report.empty) {
      try {
        png = await renderChart(deps.db, date);
      } catch (error) {
        log.error({ err: error, date }, 'the report chart could not be rendered; sending the text alone');
      }
    }
    const result = await deliverReport({ deps: { ...deps, telegram: deps.telegram }, chatId, date, log }, context, rendered, png);
    log.info({ date, ...result }, 'daily report delivered');
    return { date, ...result };
  },
});

export const dailyReportHandler = createDailyReportHandler();
