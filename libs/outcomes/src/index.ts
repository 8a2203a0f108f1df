export * from './bulk/index';
export * from './episodes/index';
