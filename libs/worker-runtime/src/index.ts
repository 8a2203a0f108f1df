export { defineHandler, type JobHandler, type HandlerContext, type JobSchedule } from './job-handler';
export { WorkerManager, WorkerStartupError, checkHandlerRegistry, type WorkerManagerOptions, type FinalFailure } from './worker-manager';
export { raiseOpsAlertOnFailure, boardFailedJobsUrl, jobFailedThrottleSeconds } from './ops-alert-on-failure';
export { postponeJob } from './postpone';
