export { escapeHtml, escapeHtmlAttribute } from './escape-html';
export { telegramTextLength, htmlToVisibleText } from './telegram-text-length';
export { truncateText } from './truncate-text';
export {
  alertLevels,
  issueStates,
  type AlertLevel,
  type IssueState,
  type AlertView,
  type AlertStatusView,
  type StackFrameView,
} from './alert-view';
export { telegramMessageLimit, type RenderedMessage } from './message-layout';
export { renderAlert, alertDropOrder, type RenderOptions, type AlertBlockName } from './render-alert';
export { renderDigest, type DigestOptions, type RenderedDigest } from './render-digest';
export { buildDigestKeyboard, digestMuteHours, maxDigestIssueRows, maxKeyboardButtons, type DigestKeyboard, type DigestKeyboardItem } from './digest-keyboard';
export { renderMuteEnded } from './render-mute-ended';
export {
  buildAlertKeyboard,
  muteHourChoices,
  type AlertKeyboardButton,
  type AlertKeyboardMarkup,
  type AlertKeyboardInput,
} from './alert-keyboard';
export {
  parseRoutes,
  routeAlert,
  ruleMatches,
  RoutesFileError,
  type RouteRule,
  type RouteMatch,
  type RouteTarget,
  type LevelCondition,
  type AlertRouteFacts,
} from './routing';
export { formatTimestamp } from './display-format';
export { formatOutage } from './alert-content';
export { safeHref } from './message-fragments';
