export * as tables from './schema';
export { auditLog, alerts, alertMessages, issueStates, investigations, metricsHistory, runbookLinks } from './schema';
export { connectDatabase, type Database, type DatabaseHandle } from './client';
export { runMigrations, migrationsFolder } from './migrate';
export { recordAudit, type AuditEntry } from './audit';
export { episodes, bulkOperations, bulkOperationItems } from './schema';
export { dailyReportDeliveries, issueHourEvents, issueHourSnapshots } from './schema';
export { runbookClicks } from './schema';
