import crypto from 'node:crypto';
import { checkBulkQuery, type BulkAction } from '@triage/contracts';
import { nowOf, type BulkDeps } from './bulk-deps';
import { insertPreview } from './bulk-repository';
import type { BulkOperation, BulkTarget } from './bulk-state';
import { findTargets, projectSlugPattern } from './find-targets';

export interface PreviewRequest {
  action: BulkAction;
  query: string;
  project?: string;
  requestedBy: string;
  via: 'cli' | 'telegram';
  chatId?: string;
  threadId?: number;
  /** More matching issues than this: refused (Telegram: BULK_MAX). */
  maxIssues: number;
  /** true: nothing is stored (CLI --dry-run). */
  dryRun?: boolean;
}

export type PreviewOutcome =
  | { kind: 'invalid'; error: string }
  | { kind: 'empty'; query: string }
  | { kind: 'too-many'; query: string; count: number; truncated: boolean }
  | { kind: 'preview'; query: string; addedUnresolved: boolean; targets: BulkTarget[]; operation: BulkOperation | undefined };

/** `20261203-a1b2c3`: the day, for people, and randomness, for uniqueness; short enough for a Telegram button. */
export function newOperationId(now: Date): string {
  return `${now.toISOString().slice(0, 10).replace(/-/g, '')}-${crypto.randomBytes(3).toString('hex')}`;
}

/** Checks the query, lists what it matches and records a preview that can be confirmed for 10 minutes. */
export async function previewBulk(deps: BulkDeps, request: PreviewRequest): Promise<PreviewOutcome> {
  const checked = checkBulkQuery(request.query);
  if (!checked.ok) return { kind: 'invalid', error: checked.error };
  if (request.project !== undefined && !projectSlugPattern.test(request.project)) return { kind: 'invalid', error: `"${request.project}" is not a project slug` };
  const { targets, truncated } = await findTargets(deps.glitchtip, { query: checked.query, project: request.project, cap: request.maxIssues });
  if (truncated) return { kind: 'too-many', query: checked.query, count: targets.length, truncated };
  if (targets.length === 0) return { kind: 'empty', query: checked.query };
  if (request.dryRun) return { kind: 'preview', query: checked.query, addedUnresolved: checked.addedUnresolved, targets, operation: undefined };
  const now = nowOf(deps);
  const operation = await insertPreview(deps.db, {
    id: newOperationId(now),
    action: request.action,
    query: checked.query,
    project: request.project,
    requestedBy: request.requestedBy,
    via: request.via,
    chatId: request.chatId,
    threadId: request.threadId,
    targets,
    now,
  });
  return { kind: 'preview', query: checked.query, addedUnresolved: checked.addedUnresolved, targets, operation };
}
