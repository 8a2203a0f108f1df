import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import { issueHourEvents, issueHourSnapshots, type Database } from '@triage/db';

/** Hourly counts are kept a little longer than the chart's 14 days. */
export const issueHoursKeptDays = 16;

export interface IssueHourRow {
  issueId: string;
  /** Start of the UTC hour, ms. */
  hour: number;
  events: number;
}

/**
 * The one writer of issue_hour_events and issue_hour_snapshots. A read of the issues seen in the last 24 h is saved
 * with its time; when the list was complete (not cut by paging) that time counts towards covering hours.
 */
export async function saveIssueHours(db: Database, takenAt: Date, rows: IssueHourRow[], complete: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += 1_000) {
      const batch = rows.slice(start, start + 1_000).map((row) => ({ issueId: row.issueId, hour: new Date(row.hour), events: row.events }));
      // A later read of an hour has every late event: counts only grow.
      await tx
        .insert(issueHourEvents)
        .values(batch)
        .onConflictDoUpdate({ target: [issueHourEvents.issueId, issueHourEvents.hour], set: { events: sql`greatest(${issueHourEvents.events}, excluded.events)` } });
    }
    if (complete) await tx.insert(issueHourSnapshots).values({ takenAt, issues: new Set(rows.map((row) => row.issueId)).size }).onConflictDoNothing();
    const cutoff = new Date(takenAt.getTime() - issueHoursKeptDays * 86_400_000);
    await tx.delete(issueHourEvents).where(lt(issueHourEvents.hour, cutoff));
    await tx.delete(issueHourSnapshots).where(lt(issueHourSnapshots.takenAt, cutoff));
  });
}

/** Stored hours of these issues in [from, to): issue id -> hour start ms -> events. */
export async function readIssueHours(db: Database, issueIds: string[], from: Date, to: Date): Promise<Map<string, Map<number, number>>> {
  const byIssue = new Map<string, Map<number, number>>();
  for (let start = 0; start < issueIds.length; start += 1_000) {
    const rows = await db
      .select()
      .from(issueHourEvents)
      .where(and(inArray(issueHourEvents.issueId, issueIds.slice(start, start + 1_000)), gte(issueHourEvents.hour, from), lt(issueHourEvents.hour, to)));
    for (const row of rows) {
      const hours = byIssue.get(row.issueId) ?? new Map<number, number>();
      hours.set(row.hour.getTime(), row.events);
      byIssue.set(row.issueId, hours);
    }
  }
  return byIssue;
}

/** Times of complete reads in [from, to). */
export async function issueHourReadTimes(db: Database, from: Date, to: Date): Promise<number[]> {
  const rows = await db
    .select({ takenAt: issueHourSnapshots.takenAt })
    .from(issueHourSnapshots)
    .where(and(gte(issueHourSnapshots.takenAt, from), lt(issueHourSnapshots.takenAt, to)));
  return rows.map((row) => row.takenAt.getTime());
}
