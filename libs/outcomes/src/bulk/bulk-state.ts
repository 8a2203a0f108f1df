import type { BulkAction } from '@triage/contracts';
import type { IssueStatus } from '@triage/glitchtip';

/**
 * A bulk action's life: previewed -> applying -> applied | failed; previewed -> expired | cancelled;
 * applied | failed | restore-failed -> restoring -> restored | restore-failed.
 */
export type BulkState = 'previewed' | 'expired' | 'cancelled' | 'applying' | 'applied' | 'failed' | 'restoring' | 'restored' | 'restore-failed';

export const bulkTransitions: Record<BulkState, readonly BulkState[]> = {
  previewed: ['applying', 'expired', 'cancelled'],
  expired: [],
  cancelled: [],
  applying: ['applied', 'failed'],
  applied: ['restoring'],
  failed: ['restoring'],
  restoring: ['restored', 'restore-failed'],
  'restore-failed': ['restoring'],
  restored: [],
};

export function canMove(from: BulkState, to: BulkState): boolean {
  return bulkTransitions[from].includes(to);
}

/** A preview can be confirmed for this long. */
export const previewTtlMs = 10 * 60_000;

export const statusOfAction: Record<BulkAction, IssueStatus> = { resolve: 'resolved', ignore: 'ignored' };

export interface BulkTarget {
  issueId: string;
  title: string;
  status: IssueStatus;
}

export interface BulkOperation {
  id: string;
  action: BulkAction;
  query: string;
  project: string | null;
  requestedBy: string;
  via: 'cli' | 'telegram';
  state: BulkState;
  issueCount: number;
  chatId: string | null;
  threadId: number | null;
  previewMessageId: number | null;
  backupFile: string | null;
  dryRun: boolean;
  error: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface BulkItem {
  issueId: string;
  title: string;
  priorStatus: IssueStatus | null;
  position: number;
  appliedAt: Date | null;
  restoredAt: Date | null;
}
