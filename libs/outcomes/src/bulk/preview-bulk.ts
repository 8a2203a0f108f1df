import crypto from 'node:crypto';
import { checkBulkQuery, type BulkAction } from '@triage/contracts';
import { nowOf, type BulkDeps } from './bulk-deps';
import { findOperation, insertPreview, listItems } from './bulk-repository';
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
  /** A deterministic id (a job's): a retried job finds the preview it stored and does not list again. */
  id?: string;
}

export type PreviewOutcome =
  | { kind: 'invalid'; error: string }
  | { kind: 'empty'; query: string }
  | { kind: 'too-many'; query: string; count: number; truncated: boolean }
  | { kind: 'preview'; query: string; addedUnresolved: boolean; targets: BulkTarget[]; operation: BulkOperation | undefined };

/** `20261203-a1b2c3`: the day, for people, and randomness, for uniqueness; short enough for a Telegram button. */
export function newOperationId(now: Date, seed?: string): string {
  const tail = seed === undefined ? crypto.randomBytes(3).toString('hex') : crypto.createHash('sha256').update(seed).digest('hex').slice(0, 6);
  return `${now.toISOString().slice(0, 10).replace(/-/g, '')}-${tail}`;
}

/** Checks the query, lists what it matches and records a preview that can be confirmed for 10 minutes. */
export async function previewBulk(deps: BulkDeps, request: PreviewRequest): Promise<PreviewOutcome> {
  const checked = checkBulkQuery(request.query);
  if (!checked.ok) return { kind: 'invalid', error: checked.error };
  if (request.project !== undefined && !projectSlugPattern.test(request.project)) return { kind: 'invalid', error: `"${request.project}" is not a project slug` };
  if (request.id) {
    const stored = await findOperation(deps.db, request.id);
    if (stored) {
      const items = await listItems(deps.db, stored.id);
      const targets = items.map((item) => ({ issueId: item.issueId, title: item.title, status: item.priorStatus ?? ('unresolved' as const) }));
      return { kind: 'preview', query: stored.query, addedUnresolved: checked.addedUnresolved, targets, operation: stored };
    }
  }
  const { targets, truncated } = await findTargets(deps.glitchtip, { query: checked.query, project: request.project, cap: request.maxIssues });
  if (truncated) return { kind: 'too-many', query: checked.query, count: targets.length, truncated };
  if (targets.length === 0) return { kind: 'empty', query: checked.query };
  if (request.dryRun) return { kind: 'preview', query: checked.query, addedUnresolved: checked.addedUnresolved, targets, operation: undefined };
  const now = nowOf(deps);
  const operation = await insertPreview(deps.db, {
    id: request.id ?? newOperationId(now),
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
