export * from './bulk/index';
