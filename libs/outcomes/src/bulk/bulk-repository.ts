import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { bulkOperationItems, bulkOperations, type Database } from '@triage/db';
import type { BulkAction } from '@triage/contracts';
import type { IssueStatus } from '@triage/glitchtip';
import { canMove, previewTtlMs, type BulkItem, type BulkOperation, type BulkState, type BulkTarget } from './bulk-state';

/** The one module that writes bulk_operations and bulk_operation_items; every state change goes through move(). */

export interface NewPreview {
  id: string;
  action: BulkAction;
  query: string;
  project: string | undefined;
  requestedBy: string;
  via: 'cli' | 'telegram';
  chatId?: string;
  threadId?: number;
  targets: BulkTarget[];
  now: Date;
}

type OperationRow = typeof bulkOperations.$inferSelect;
type ItemRow = typeof bulkOperationItems.$inferSelect;

function toOperation(row: OperationRow): BulkOperation {
  return {
    ...row,
    action: row.action as BulkAction,
    via: row.via as BulkOperation['via'],
    state: row.state as BulkState,
  };
}

function toItem(row: ItemRow): BulkItem {
  return { ...row, priorStatus: row.priorStatus as IssueStatus | null };
}

export async function insertPreview(db: Database, preview: NewPreview): Promise<BulkOperation> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(bulkOperations)
      .values({
        id: preview.id,
        action: preview.action,
        query: preview.query,
        project: preview.project ?? null,
        requestedBy: preview.requestedBy,
        via: preview.via,
        state: 'previewed' satisfies BulkState,
        issueCount: preview.targets.length,
        chatId: preview.chatId ?? null,
        threadId: preview.threadId ?? null,
        createdAt: preview.now,
        expiresAt: new Date(preview.now.getTime() + previewTtlMs),
        updatedAt: preview.now,
      })
      .returning();
    for (let start = 0; start < preview.targets.length; start += 500) {
      const chunk = preview.targets.slice(start, start + 500);
      await tx.insert(bulkOperationItems).values(
        chunk.map((target, index) => ({ operationId: preview.id, issueId: target.issueId, title: target.title.slice(0, 500), position: start + index })),
      );
    }
    return toOperation(row!);
  });
}

export async function findOperation(db: Database, id: string): Promise<BulkOperation | undefined> {
  const [row] = await db.select().from(bulkOperations).where(eq(bulkOperations.id, id));
  return row ? toOperation(row) : undefined;
}

export async function listItems(db: Database, id: string): Promise<BulkItem[]> {
  const rows = await db.select().from(bulkOperationItems).where(eq(bulkOperationItems.operationId, id)).orderBy(asc(bulkOperationItems.position));
  return rows.map(toItem);
}

export async function setPreviewMessage(db: Database, id: string, messageId: number): Promise<void> {
  await db.update(bulkOperations).set({ previewMessageId: messageId, updatedAt: sql`now()` }).where(eq(bulkOperations.id, id));
}

type MoveExtras = Partial<Pick<OperationRow, 'error' | 'dryRun' | 'appliedAt' | 'restoredAt'>>;

/**
 * Moves the operation from one of `from` to `to` atomically; undefined when it was in no such state (someone else
 * moved it first, or the move is not allowed). `notExpiredAt` also requires the preview to be unexpired then.
 */
export async function move(
  db: Database,
  id: string,
  from: readonly BulkState[],
  to: BulkState,
  extras: MoveExtras = {},
  notExpiredAt?: Date,
): Promise<BulkOperation | undefined> {
  const allowed = from.filter((state) => canMove(state, to));
  if (allowed.length === 0) throw new Error(`bulk operation: no move from ${from.join('/')} to ${to}`);
  const [row] = await db
    .update(bulkOperations)
    .set({ state: to, ...extras, updatedAt: sql`now()` })
    .where(
      and(
        eq(bulkOperations.id, id),
        inArray(bulkOperations.state, allowed),
        notExpiredAt ? sql`${bulkOperations.expiresAt} > ${notExpiredAt.toISOString()}` : undefined,
      ),
    )
    .returning();
  return row ? toOperation(row) : undefined;
}

/** The backup: every issue's status just before the first write (null: gone from GlitchTip, not written). */
export async function recordBackup(db: Database, id: string, priorStatuses: ReadonlyMap<string, IssueStatus | null>, file: string, at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [issueId, status] of priorStatuses) {
      await tx
        .update(bulkOperationItems)
        .set({ priorStatus: status })
        .where(and(eq(bulkOperationItems.operationId, id), eq(bulkOperationItems.issueId, issueId)));
    }
    await tx.update(bulkOperations).set({ backupFile: file, backedUpAt: at, updatedAt: sql`now()` }).where(eq(bulkOperations.id, id));
  });
}

export async function markApplied(db: Database, id: string, issueIds: readonly string[], at: Date): Promise<void> {
  if (issueIds.length === 0) return;
  await db
    .update(bulkOperationItems)
    .set({ appliedAt: at })
    .where(and(eq(bulkOperationItems.operationId, id), inArray(bulkOperationItems.issueId, [...issueIds])));
}

export async function markRestored(db: Database, id: string, issueIds: readonly string[], at: Date): Promise<void> {
  if (issueIds.length === 0) return;
  await db
    .update(bulkOperationItems)
    .set({ restoredAt: at })
    .where(and(eq(bulkOperationItems.operationId, id), inArray(bulkOperationItems.issueId, [...issueIds])));
}
