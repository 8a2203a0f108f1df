import type { BulkDeps } from './bulk-deps';
import { findOperation, move } from './bulk-repository';
import type { BulkOperation } from './bulk-state';

export type CancelOutcome = { kind: 'not-found' } | { kind: 'not-requester'; operation: BulkOperation } | { kind: 'cancelled'; operation: BulkOperation } | { kind: 'not-pending'; operation: BulkOperation };

/** Drops a preview nobody will confirm; only its requester may, and only while it is a preview. */
export async function cancelBulk(deps: Pick<BulkDeps, 'db'>, { operationId, actor }: { operationId: string; actor: string }): Promise<CancelOutcome> {
  const current = await findOperation(deps.db, operationId);
  if (!current) return { kind: 'not-found' };
  if (current.requestedBy !== actor) return { kind: 'not-requester', operation: current };
  const cancelled = await move(deps.db, operationId, ['previewed'], 'cancelled');
  return cancelled ? { kind: 'cancelled', operation: cancelled } : { kind: 'not-pending', operation: (await findOperation(deps.db, operationId)) ?? current };
}
