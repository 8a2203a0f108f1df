import { eq } from 'drizzle-orm';
import { alerts, type Database } from '@triage/db';
import { alertViewFromSnapshot, type AlertRow } from '@triage/delivery';

/** The alert row as it is now, with the view its messages render (undefined view: nothing alerted yet). */
export async function readCurrentAlert(db: Database, issueId: string): Promise<{ row: AlertRow; rendered: ReturnType<typeof alertViewFromSnapshot> } | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.issueId, issueId));
  return row ? { row, rendered: alertViewFromSnapshot(row) } : undefined;
}
