import { and, count, eq, gte, like, lt, notLike, sql } from 'drizzle-orm';
import { auditLog, investigations, runbookLinks, type Database } from '@triage/db';
import type { TriageActivity } from '../aggregate/report-types';
import type { TimeRange } from './issue-day-events';

/** What Triage did during a range, from its own tables (alerts sent, investigations, runbooks linked, Telegram actions). */
export async function collectTriageActivity(db: Database, range: TimeRange): Promise<TriageActivity> {
  const inAudit = and(gte(auditLog.at, range.start), lt(auditLog.at, range.end));
  const [alerts] = await db
    .select({ value: count() })
    .from(auditLog)
    .where(and(inAudit, eq(auditLog.action, 'send-alert'), sql`${auditLog.result} in ('ok', 'dry-run')`));
  const [actions] = await db
    .select({ value: count() })
    .from(auditLog)
    .where(and(inAudit, like(auditLog.action, 'issue.%'), notLike(auditLog.actor, 'triage%'), sql`${auditLog.result} in ('ok', 'dry-run')`));
  const [investigated] = await db
    .select({ value: count() })
    .from(investigations)
    .where(and(gte(investigations.startedAt, range.start), lt(investigations.startedAt, range.end)));
  const [linked] = await db
    .select({ value: count() })
    .from(runbookLinks)
    .where(and(gte(runbookLinks.createdAt, range.start), lt(runbookLinks.createdAt, range.end)));
  return {
    alertsSent: alerts?.value ?? 0,
    investigations: investigated?.value ?? 0,
    runbooksLinked: linked?.value ?? 0,
    telegramActions: actions?.value ?? 0,
  };
}

/** Issues Triage alerted as regressions during the range. */
export async function regressedIssueIds(db: Database, range: TimeRange): Promise<string[]> {
  const rows = await db
    .selectDistinct({ issueId: auditLog.issueId })
    .from(auditLog)
    .where(and(gte(auditLog.at, range.start), lt(auditLog.at, range.end), eq(auditLog.action, 'send-alert'), sql`${auditLog.details}->>'reason' = 'regression'`));
  return rows.flatMap((row) => (row.issueId ? [row.issueId] : []));
}

