export * from './render/index';
export * from './transport/index';
