/**
 * Job contracts (payload schema, default options, deterministic id) and the Telegram callback codec: what producers
 * (ingress, bot, CLI) and workers share. Depends only on shared libs; handlers live in @triage/jobs/handlers.
 */
import { processAlert } from './process-alert.contract';
import { sendAlert } from './send-alert.contract';
import { investigate } from './investigate.contract';
import { investigationVote } from './investigation-vote.contract';
import { investigationSummary } from './investigation-summary.contract';
import { fetchRepos } from './fetch-repos.contract';
import { linkRunbook } from './link-runbook.contract';
import { dailyReport } from './daily-report.contract';
import { pollIssues } from './poll-issues.contract';
import { issueAction } from './issue-action.contract';
import { botCommand } from './bot-command.contract';
import { opsAlert } from './ops-alert.contract';
import { reconcileDelivery } from './reconcile-delivery.contract';
import { healthCheck } from './health-check.contract';
import { bulkPreview } from './bulk-preview.contract';
import { bulkApply } from './bulk-apply.contract';
import { weeklyReviewJob } from './weekly-review.contract';

export { processAlert, processAlertSchema, ALERT_DEDUP_WINDOW_MS, type ProcessAlertPayload } from './process-alert.contract';
export {
  sendAlert,
  sendAlertSchema,
  sendAlertReasons,
  statusEditOptions,
  deliveryCountersKey,
  renderDeliveryCounters,
  possibleRepeatKinds,
  type PossibleRepeatKind,
  type SendAlertPayload,
  type SendAlertReason,
} from './send-alert.contract';
export { investigate, investigateSchema, defaultInvestigateTimeoutMs } from './investigate.contract';
export {
  investigationVote,
  investigationVoteSchema,
  investigationVotes,
  encodeVoteCallback,
  decodeVoteCallback,
  type InvestigationVote,
  type InvestigationVotePayload,
} from './investigation-vote.contract';
export { investigationSummary, investigationSummarySchema, type InvestigationSummaryPayload } from './investigation-summary.contract';
export { fetchRepos, fetchReposSchema } from './fetch-repos.contract';
export { linkRunbook, linkRunbookSchema, type LinkRunbookPayload } from './link-runbook.contract';
export { dailyReport, dailyReportSchema } from './daily-report.contract';
export { pollIssues, pollIssuesSchema, PROJECT_POLL_WINDOW_MS, type PollIssuesPayload, type ProjectPoll } from './poll-issues.contract';
export {
  issueAction,
  issueActionSchema,
  issueActions,
  issueActionFromCallback,
  digestListingKey,
  maxMuteHours,
  type DigestListing,
  type MuteRestRequest,
  type IssueAction,
  type IssueActionPayload,
  type TelegramActor,
} from './issue-action.contract';
export { botCommand, botCommandSchema, botReplyPurposes, componentPattern, maxErrorsHours, type BotCommandPayload, type BotReplyPurpose } from './bot-command.contract';

export { opsAlert, opsAlertSchema, type OpsAlertPayload } from './ops-alert.contract';
export { reconcileDelivery, reconcileDeliverySchema, undeliveredAlertsKey, type ReconcileDeliveryPayload } from './reconcile-delivery.contract';
export { healthCheck, healthCheckSchema, type HealthCheckPayload } from './health-check.contract';

export const allContracts = [processAlert, sendAlert, investigate, linkRunbook, dailyReport, pollIssues, issueAction, botCommand, opsAlert, healthCheck, investigationVote, fetchRepos, bulkPreview, bulkApply, weeklyReviewJob, reconcileDelivery, investigationSummary] as const;
export type QueueName = (typeof allContracts)[number]['name'];
export const queueNames: QueueName[] = allContracts.map((contract) => contract.name);

export * from './callback-data';
export { checkBulkQuery, splitLikeShlex, bulkActions, bulkQueryMaxLength, parseBulkCommand, bulkUsage, type BulkAction, type BulkQueryCheck } from './bulk-query';
export { encodeBulkCallback, decodeBulkCallback, isBulkCallback, bulkOperationIdPattern, type BulkDecision } from './bulk-callback';
export { bulkPreview, bulkPreviewSchema, type BulkPreviewPayload } from './bulk-preview.contract';
export { bulkApply, bulkApplySchema, type BulkApplyPayload } from './bulk-apply.contract';
export { weeklyReviewJob, weeklyReviewSchema, type WeeklyReviewPayload } from './weekly-review.contract';
