import type { IssueStatus } from '@triage/glitchtip';
import { batchSize, nowOf, type BulkDeps } from './bulk-deps';
import { findOperation, listItems, markApplied, move, recordBackup } from './bulk-repository';
import { backupPath, writeBackupFile } from './backup-file';
import { statusOfAction, type BulkItem, type BulkOperation } from './bulk-state';
import { writeInBatches } from './write-batches';

export interface ApplyRequest {
  operationId: string;
  /** Who confirmed; must be the requester (allowlist checks happen before, at the edge). */
  actor: string;
  /** A retried job continues an operation it already started. */
  resume?: boolean;
}

export type ApplyOutcome =
  | { kind: 'not-found' }
  | { kind: 'expired'; operation: BulkOperation }
  | { kind: 'not-requester'; operation: BulkOperation }
  | { kind: 'not-pending'; operation: BulkOperation }
  | { kind: 'applied'; operation: BulkOperation; written: number; skipped: number; dryRun: boolean; backupFile: string }
  | { kind: 'failed'; operation: BulkOperation; written: number; error: string; backupFile: string | undefined };

/** Claims a previewed operation once (an expired or foreign confirm is refused), or resumes one already applying. */
async function claim(deps: BulkDeps, request: ApplyRequest): Promise<ApplyOutcome | BulkOperation> {
  const now = nowOf(deps);
  const current = await findOperation(deps.db, request.operationId);
  if (!current) return { kind: 'not-found' };
  if (current.requestedBy !== request.actor) return { kind: 'not-requester', operation: current };
  if (current.state === 'applying' && request.resume) return current;
  const claimed = await move(deps.db, request.operationId, ['previewed'], 'applying', {}, now);
  if (claimed) return claimed;
  const after = (await findOperation(deps.db, request.operationId))!;
  if (after.state === 'previewed' && after.expiresAt.getTime() <= now.getTime()) {
    const expired = await move(deps.db, request.operationId, ['previewed'], 'expired');
    return { kind: 'expired', operation: expired ?? after };
  }
  return after.state === 'expired' ? { kind: 'expired', operation: after } : { kind: 'not-pending', operation: after };
}

/**
 * Reads every issue's current status from GlitchTip and writes it to the backup (table and JSON file) before any
 * write. An issue GlitchTip no longer lists gets no prior status and is left alone.
 */
async function takeBackup(deps: BulkDeps, operation: BulkOperation, items: BulkItem[]): Promise<{ items: BulkItem[]; file: string }> {
  const prior = new Map<string, IssueStatus | null>(items.map((item) => [item.issueId, null]));
  for (let start = 0; start < items.length; start += batchSize) {
    const ids = items.slice(start, start + batchSize).map((item) => item.issueId);
    const page = await deps.glitchtip.listIssues({ ids, limit: batchSize });
    for (const issue of page.items) if (prior.has(issue.id)) prior.set(issue.id, issue.status);
  }
  const file = backupPath(deps.dataDir, operation.id);
  const backedUp = items.map((item) => ({ ...item, priorStatus: prior.get(item.issueId) ?? null }));
  const at = nowOf(deps);
  await writeBackupFile(file, {
    id: operation.id,
    action: operation.action,
    query: operation.query,
    project: operation.project,
    requestedBy: operation.requestedBy,
    backedUpAt: at.toISOString(),
    issues: backedUp.map((item) => ({ id: item.issueId, title: item.title, priorStatus: item.priorStatus })),
  });
  await recordBackup(deps.db, operation.id, prior, file, at);
  return { items: backedUp, file };
}

/** Confirmed bulk action: backup first, then the writes by explicit ids in audited batches. */
export async function applyBulk(deps: BulkDeps, request: ApplyRequest): Promise<ApplyOutcome> {
  const claimed = await claim(deps, request);
  if ('kind' in claimed) return claimed;
  const operation = claimed;
  let items = await listItems(deps.db, operation.id);
  let file = operation.backupFile ?? undefined;
  if (!file) {
    try {
      ({ items, file } = await takeBackup(deps, operation, items));
    } catch (error) {
      // Nothing was written: the backup could not be completed, so no write may start.
      const message = `backup failed, nothing changed: ${error instanceof Error ? error.message : String(error)}`;
      const failed = await move(deps.db, operation.id, ['applying'], 'failed', { error: message });
      return { kind: 'failed', operation: failed ?? operation, written: 0, error: message, backupFile: undefined };
    }
  }
  const status = statusOfAction[operation.action];
  const alreadyThere = items.filter((item) => item.appliedAt === null && item.priorStatus === status).map((item) => item.issueId);
  await markApplied(deps.db, operation.id, alreadyThere, nowOf(deps));
  const toWrite = items.filter((item) => item.appliedAt === null && item.priorStatus !== null && item.priorStatus !== status).map((item) => item.issueId);
  const skipped = items.length - toWrite.length;
  const outcome = await writeInBatches(
    deps,
    {
      operationId: operation.id,
      actor: request.actor,
      auditAction: `bulk.${operation.action}`,
      phase: 'apply',
      status,
      issueIds: toWrite,
      markDone: (ids) => markApplied(deps.db, operation.id, ids, nowOf(deps)),
    },
    { done: 0, total: toWrite.length },
  );
  if (!outcome.ok) {
    const failed = await move(deps.db, operation.id, ['applying'], 'failed', { error: outcome.error });
    return { kind: 'failed', operation: failed ?? operation, written: outcome.written, error: outcome.error, backupFile: file };
  }
  const applied = await move(deps.db, operation.id, ['applying'], 'applied', { appliedAt: nowOf(deps), dryRun: outcome.dryRun });
  return { kind: 'applied', operation: applied ?? operation, written: outcome.written, skipped, dryRun: outcome.dryRun, backupFile: file };
}
