export {
  alertSignalSchema,
  issueSignalSchema,
  uptimeSignalSchema,
  issueLevels,
  type AlertSignal,
  type IssueSignal,
  type UptimeSignal,
  type IssueLevel,
} from './alert-signal';
