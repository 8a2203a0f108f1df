export { defineHandler, type JobHandler, type HandlerContext, type JobSchedule } from './job-handler';
export { WorkerManager, WorkerStartupError, checkHandlerRegistry, type WorkerManagerOptions } from './worker-manager';
