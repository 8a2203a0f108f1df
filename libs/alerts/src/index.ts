/** The alert domain: states and transitions, the snapshot messages are rendered from, and the one writer of `alerts`, `issue_states` and `alert_messages`. */
export * from './alert-state';
export * from './alert-transition';
export * from './alert-snapshot';
export * from './regression';
export * from './alert-repository';
export * from './alert-messages/index';
export * from './delivery-reconciliation';
export * from './alert-status-repository';
export * from './alert-attachments';
