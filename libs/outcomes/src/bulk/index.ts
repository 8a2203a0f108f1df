export { previewBulk, newOperationId, type PreviewRequest, type PreviewOutcome } from './preview-bulk';
export { applyBulk, type ApplyRequest, type ApplyOutcome } from './apply-bulk';
export { restoreBulk, type RestoreOutcome } from './restore-bulk';
export { findOperation, listItems, setPreviewMessage } from './bulk-repository';
export { backupPath, readBackupFile, type BackupDocument } from './backup-file';
export { previewTtlMs, statusOfAction, type BulkState, type BulkOperation, type BulkItem, type BulkTarget } from './bulk-state';
export { batchSize, type BulkDeps } from './bulk-deps';
export { projectSlugPattern } from './find-targets';
