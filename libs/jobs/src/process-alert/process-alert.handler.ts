import { sql } from 'drizzle-orm';
import { alerts } from '@triage/db';
import { defineHandler } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { processAlert, type ProcessAlertPayload } from './process-alert.contract';

/** The key an alert is recorded under: GlitchTip issue ids, or uptime monitors namespaced so they cannot collide. */
export function alertKeyOf(payload: ProcessAlertPayload): string {
  return payload.kind === 'issue' ? payload.issueId : `uptime-${payload.monitorId}`;
}

export const processAlertHandler = defineHandler<WorkerDeps, typeof processAlert>({
  contract: processAlert,
  async handle(payload, { deps, log }) {
    const issueKey = alertKeyOf(payload);
    const title = payload.kind === 'issue' ? payload.title : `${payload.name}: ${payload.down ? 'down' : 'up'}`;
    const [row] = await deps.db
      .insert(alerts)
      .values({
        issueId: issueKey,
        source: payload.source,
        title,
        project: payload.kind === 'issue' ? payload.project : null,
        environment: payload.kind === 'issue' ? payload.environment : null,
        release: payload.kind === 'issue' ? payload.release : null,
        level: payload.kind === 'issue' ? payload.levelHint : payload.down ? 'error' : 'info',
        kind: payload.kind,
        snapshot: payload as unknown as Record<string, unknown>,
      })
      .onConflictDoUpdate({
        target: alerts.issueId,
        set: {
          alertCount: sql`${alerts.alertCount} + 1`,
          lastAlertedAt: sql`now()`,
          updatedAt: sql`now()`,
          title,
          snapshot: payload as unknown as Record<string, unknown>,
        },
      })
      .returning({ id: alerts.id, alertCount: alerts.alertCount });
    log.info({ alertId: row?.id, alertCount: row?.alertCount, source: payload.source }, 'alert recorded');
    return { alertId: row?.id };
  },
});
