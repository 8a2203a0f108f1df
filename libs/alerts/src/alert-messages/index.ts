/** The one writer of `alert_messages`: typed states and one function per transition. */
export * from './alert-message-status';
export * from './alert-message-store';
