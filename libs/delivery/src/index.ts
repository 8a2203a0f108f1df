/**
 * Paced Telegram writes for every job that posts: fallbacks (plain text, shorter text, no topic), chat migrations,
 * 429 pauses, the outcome rules (what may have been posted) and the message-id-survives rule (delivery records).
 */
export { type DeliveryDeps, type DeliveryContext } from './delivery-deps';
export { sendWithFallbacks, editWithFallbacks, type OutgoingMessage, type OutgoingText, type WriteResult } from './telegram-writes';
export { outcomeUnknown } from './send-outcome';
export { recordDelivery, readDelivery, forgetDelivery, alertRowDeliveryKey, type DeliveryRecord } from './delivery-record';
export { countPossibleRepeat, deliveryMetricsText } from './delivery-metrics';
export { currentChatId, rememberMigration } from './chat-migration';
export { sendChatReply, sentReplyMessageId, fitReply, type ChatReply, type ReplyOutcome } from './chat-reply';
export { enqueueStatusEdit } from './status-edit';
export { alertViewFromSnapshot, routeFactsOf, statusOf, type AlertRow } from './alert-view-of-row';
