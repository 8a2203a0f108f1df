/**
 * Job contracts: what producers (ingress, bot, CLI) may import. Handlers are in './handlers' and only workers load them.
 */
import { processAlert } from './process-alert/process-alert.contract';
import { sendAlert } from './send-alert/send-alert.contract';
import { investigate } from './investigate/investigate.contract';
import { linkRunbook } from './link-runbook/link-runbook.contract';
import { dailyReport } from './daily-report/daily-report.contract';
import { pollIssues } from './poll-issues/poll-issues.contract';
import { issueAction } from './issue-action/issue-action.contract';
import { botCommand } from './bot-command/bot-command.contract';

export { processAlert, processAlertSchema, ALERT_DEDUP_WINDOW_MS, type ProcessAlertPayload } from './process-alert/process-alert.contract';
export { sendAlert, sendAlertSchema, statusEditOptions } from './send-alert/send-alert.contract';
export { investigate, investigateSchema } from './investigate/investigate.contract';
export { linkRunbook, linkRunbookSchema } from './link-runbook/link-runbook.contract';
export { dailyReport, dailyReportSchema } from './daily-report/daily-report.contract';
export { pollIssues, pollIssuesSchema } from './poll-issues/poll-issues.contract';
export {
  issueAction,
  issueActionSchema,
  issueActions,
  issueActionFromCallback,
  maxMuteHours,
  type IssueAction,
  type IssueActionPayload,
  type TelegramActor,
} from './issue-action/issue-action.contract';
export { botCommand, botCommandSchema, componentPattern, maxErrorsHours, type BotCommandPayload } from './bot-command/bot-command.contract';

export const allContracts = [processAlert, sendAlert, investigate, linkRunbook, dailyReport, pollIssues, issueAction, botCommand] as const;
export type QueueName = (typeof allContracts)[number]['name'];
export const queueNames: QueueName[] = allContracts.map((contract) => contract.name);
