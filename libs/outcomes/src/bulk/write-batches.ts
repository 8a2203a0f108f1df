import { recordAudit } from '@triage/db';
import type { IssueStatus } from '@triage/glitchtip';
import { batchSize, type BulkDeps } from './bulk-deps';

export interface BatchRun {
  operationId: string;
  actor: string;
  /** bulk.resolve, bulk.ignore, bulk.restore */
  auditAction: string;
  /** apply | restore-<status>: part of each batch's idempotency key */
  phase: string;
  status: IssueStatus;
  issueIds: string[];
  /** Records a batch as done in the operation's items. */
  markDone: (issueIds: string[]) => Promise<void>;
}

export type BatchOutcome = { ok: true; written: number; dryRun: boolean } | { ok: false; written: number; error: string };

/**
 * Writes `status` to the issues by explicit ids, 100 a request (GlitchTip's client paces requests within its rate
 * limit), each batch audited. Stops at the first failed batch: what was written is recorded, the rest is not tried.
 */
export async function writeInBatches(deps: BulkDeps, run: BatchRun, progress: { done: number; total: number }): Promise<BatchOutcome> {
  let written = 0;
  let dryRun = false;
  for (let start = 0; start < run.issueIds.length; start += batchSize) {
    const ids = run.issueIds.slice(start, start + batchSize);
    const audit = { actor: run.actor, action: run.auditAction, target: 'glitchtip' as const, details: { operationId: run.operationId, status: run.status, issueIds: ids } };
    try {
      const outcome = await deps.glitchtip.bulkUpdateStatus(ids, run.status);
      dryRun ||= outcome.dryRun;
      await recordAudit(deps.db, { ...audit, result: outcome.dryRun ? 'dry-run' : 'ok', idempotencyKey: `bulk:${run.operationId}:${run.phase}:${ids[0]}:${ids.length}` });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.warn({ err: error, operationId: run.operationId, batchStart: start }, 'bulk batch failed');
      await recordAudit(deps.db, { ...audit, result: 'error', error: message });
      return { ok: false, written, error: message };
    }
    await run.markDone(ids);
    written += ids.length;
    progress.done += ids.length;
    deps.onProgress?.(progress.done, progress.total);
  }
  return { ok: true, written, dryRun };
}
