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
export { parseGlitchTipWebhook, webhookFormats, type WebhookFormat, type ParsedWebhook, type ParseWebhookOptions } from './parse-webhook';
export { parseAlertLink, type AlertLinkTarget } from './alert-link';
export { levelHintFromColour, issueCountFromText, uptimeWentDown, type LevelHint } from './alert-hints';
