import { gte, sql } from 'drizzle-orm';
import { runbookClicks, type Database } from '@triage/db';

/** The one writer of runbook_clicks: one more click on a runbook link, per runbook, issue and UTC day. */
export async function countClick(db: Database, click: { runbook: string; issueId?: string; at?: Date }): Promise<void> {
  const day = (click.at ?? new Date()).toISOString().slice(0, 10);
  await db
    .insert(runbookClicks)
    .values({ runbook: click.runbook, issueId: click.issueId ?? '', day, clicks: 1 })
    .onConflictDoUpdate({
      target: [runbookClicks.runbook, runbookClicks.issueId, runbookClicks.day],
      set: { clicks: sql`${runbookClicks.clicks} + 1`, lastClickedAt: sql`now()` },
    });
}

/** Clicks per runbook since a UTC day (inclusive), most clicked first. */
export async function clicksByRunbook(db: Database, sinceDay = '1970-01-01'): Promise<Array<{ runbook: string; clicks: number }>> {
  const rows = await db
    .select({ runbook: runbookClicks.runbook, clicks: sql<string>`sum(${runbookClicks.clicks})` })
    .from(runbookClicks)
    .where(gte(runbookClicks.day, sinceDay))
    .groupBy(runbookClicks.runbook);
  return rows.map((row) => ({ runbook: row.runbook, clicks: Number(row.clicks) })).sort((a, b) => b.clicks - a.clicks || a.runbook.localeCompare(b.runbook));
}
