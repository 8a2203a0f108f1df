/** Every job handler of this build. Only worker processes import this file (producers import './index'). */
import type { JobHandler } from '@triage/worker-runtime';
import { pollIssuesHandler } from './poll-issues/poll-issues.handler';
import { processAlertHandler } from './process-alert/process-alert.handler';
import { sendAlertHandler } from './send-alert/send-alert.handler';
import { issueActionHandler } from './issue-action/issue-action.handler';
import { botCommandHandler } from './bot-command/bot-command.handler';
import { opsAlertHandler } from './ops-alert/ops-alert.handler';
import { dailyReportHandler } from './daily-report/daily-report.handler';
import { healthCheckHandler } from './health-check/health-check.handler';
import { linkRunbookHandler } from './link-runbook/link-runbook.handler';
import { investigateHandler } from './investigate/investigate.handler';
import { investigationVoteHandler } from './investigation-vote/investigation-vote.handler';
import { investigationSummaryHandler } from './investigation-summary/investigation-summary.handler';
import { fetchReposHandler } from './fetch-repos/fetch-repos.handler';
import { bulkPreviewHandler } from './bulk-preview/bulk-preview.handler';
import { bulkApplyHandler } from './bulk-apply/bulk-apply.handler';
import { weeklyReviewHandler } from './weekly-review/weekly-review.handler';
import { reconcileDeliveryHandler } from './reconcile-delivery/reconcile-delivery.handler';
import type { WorkerDeps } from './worker-deps';

export const allHandlers: Array<JobHandler<WorkerDeps>> = [processAlertHandler, pollIssuesHandler, issueActionHandler, botCommandHandler, sendAlertHandler, opsAlertHandler, dailyReportHandler, linkRunbookHandler, healthCheckHandler, investigateHandler, investigationVoteHandler, fetchReposHandler, bulkPreviewHandler, bulkApplyHandler, weeklyReviewHandler, reconcileDeliveryHandler, investigationSummaryHandler] as Array<JobHandler<WorkerDeps>>;

export type { WorkerDeps } from './worker-deps';
