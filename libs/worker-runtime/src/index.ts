export { defineHandler, type JobHandler, type HandlerContext } from './job-handler';
export { WorkerManager, WorkerStartupError, checkHandlerRegistry, type WorkerManagerOptions } from './worker-manager';
