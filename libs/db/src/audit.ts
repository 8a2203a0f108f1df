import type { Database } from './client';
import { auditLog } from './schema';

export interface AuditEntry {
  actor: string;
  action: string;
  target: 'glitchtip' | 'telegram' | 'triage';
  issueId?: string;
  result: 'ok' | 'error' | 'dry-run' | 'refused' | 'skipped';
  details?: Record<string, unknown>;
  error?: string;
  idempotencyKey?: string;
}

export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db
    .insert(auditLog)
    .values({
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      issueId: entry.issueId,
      result: entry.result,
      details: entry.details ?? {},
      error: entry.error,
      idempotencyKey: entry.idempotencyKey,
    })
    .onConflictDoNothing({ target: auditLog.idempotencyKey });
}
