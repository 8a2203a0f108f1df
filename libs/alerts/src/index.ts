export {};
export * from './alert-messages/index';
