import type { IssueStatus } from '@triage/glitchtip';
import { nowOf, type BulkDeps } from './bulk-deps';
import { findOperation, listItems, markRestored, move } from './bulk-repository';
import { backupPath, readBackupFile } from './backup-file';
import type { BulkOperation } from './bulk-state';
import { writeInBatches } from './write-batches';

export type RestoreOutcome =
  | { kind: 'not-found' }
  | { kind: 'restored-from-file'; file: string; written: number; dryRun: boolean }
  | { kind: 'file-failed'; file: string; written: number; error: string }
  | { kind: 'not-restorable'; operation: BulkOperation }
  | { kind: 'restored'; operation: BulkOperation; written: number; dryRun: boolean }
  | { kind: 'failed'; operation: BulkOperation; written: number; error: string };

/** Puts every issue of a bulk action back to the status its backup holds (a failed restore can be run again). */
export async function restoreBulk(deps: BulkDeps, { operationId, actor }: { operationId: string; actor: string }): Promise<RestoreOutcome> {
  const current = await findOperation(deps.db, operationId);
  if (!current) return restoreFromFile(deps, operationId, actor);
  // Without a backup nothing was written (the backup comes first), so there is nothing to put back.
  if (!current.backupFile) return { kind: 'not-restorable', operation: current };
  const claimed = current.state === 'restoring' ? current : await move(deps.db, operationId, ['applied', 'failed', 'restore-failed'], 'restoring');
  if (!claimed) return { kind: 'not-restorable', operation: (await findOperation(deps.db, operationId)) ?? current };
  const items = (await listItems(deps.db, operationId)).filter((item) => item.priorStatus !== null && item.restoredAt === null);
  const byStatus = new Map<IssueStatus, string[]>();
  for (const item of items) byStatus.set(item.priorStatus!, [...(byStatus.get(item.priorStatus!) ?? []), item.issueId]);
  const progress = { done: 0, total: items.length };
  let written = 0;
  let dryRun = false;
  for (const [status, issueIds] of byStatus) {
    const outcome = await writeInBatches(
      deps,
      {
        operationId,
        actor,
        auditAction: 'bulk.restore',
        phase: `restore-${status}`,
        status,
        issueIds,
        markDone: (ids) => markRestored(deps.db, operationId, ids, nowOf(deps)),
      },
      progress,
    );
    written += outcome.written;
    if (!outcome.ok) {
      const failed = await move(deps.db, operationId, ['restoring'], 'restore-failed', { error: outcome.error });
      return { kind: 'failed', operation: failed ?? claimed, written, error: outcome.error };
    }
    dryRun ||= outcome.dryRun;
  }
  const restored = await move(deps.db, operationId, ['restoring'], 'restored', { restoredAt: nowOf(deps) });
  return { kind: 'restored', operation: restored ?? claimed, written, dryRun };
}

/**
 * The JSON copy of a backup is there for when the database lost the operation (restored from an older dump, another
 * database): every issue goes back to the status in the file, audited the same way.
 */
async function restoreFromFile(deps: BulkDeps, operationId: string, actor: string): Promise<RestoreOutcome> {
  const file = backupPath(deps.dataDir, operationId);
  let document;
  try {
    document = await readBackupFile(file);
  } catch {
    return { kind: 'not-found' };
  }
  const byStatus = new Map<IssueStatus, string[]>();
  for (const issue of document.issues) if (issue.priorStatus) byStatus.set(issue.priorStatus, [...(byStatus.get(issue.priorStatus) ?? []), issue.id]);
  const progress = { done: 0, total: document.issues.length };
  let written = 0;
  let dryRun = false;
  for (const [status, issueIds] of byStatus) {
    const outcome = await writeInBatches(
      deps,
      { operationId, actor, auditAction: 'bulk.restore', phase: `file-restore-${status}`, status, issueIds, markDone: () => Promise.resolve() },
      progress,
    );
    written += outcome.written;
    if (!outcome.ok) return { kind: 'file-failed', file, written, error: outcome.error };
    dryRun ||= outcome.dryRun;
  }
  return { kind: 'restored-from-file', file, written, dryRun };
}
