import { eq } from 'drizzle-orm';
import { alertSnapshotSchema } from '@triage/alerts';
import { alerts } from '@triage/db';
import { GlitchTipHttpError, type GlitchTipIssue } from '@triage/glitchtip';
import { factsFromApi, framesFromCulprit, type CrashFrames, type IssueFacts } from '@triage/investigation';
import type { Logger } from '@triage/logger';
import type { WorkerDeps } from '../worker-deps';

export type { IssueFacts };

export type FactsOutcome = { found: IssueFacts } | { gone: true } | { unavailable: string };

/** Without the API (webhook-only mode, or GLITCHTIP_INTEGRATION_ENABLED=false): what process-alert recorded. */
async function fromAlertRow(deps: WorkerDeps, issueId: string): Promise<IssueFacts | undefined> {
  const [row] = await deps.db.select().from(alerts).where(eq(alerts.issueId, issueId));
  const parsed = row ? alertSnapshotSchema.safeParse(row.snapshot) : undefined;
  if (!parsed?.success) return undefined;
  const snapshot = parsed.data;
  const [type, ...rest] = snapshot.title.split(': ');
  const crash: CrashFrames =
    snapshot.frames.length > 0
      ? {
          exceptionType: type ?? null,
          message: rest.length > 0 ? rest.join(': ') : null,
          source: 'event',
          frames: snapshot.frames.map((frame) => ({ path: frame.filename ?? frame.absPath, absPath: frame.absPath, function: frame.function, module: null, lineNo: frame.lineNo, colNo: null, inApp: frame.inApp, contextLine: null })),
        }
      : framesFromCulprit(snapshot.culprit, snapshot.title);
  return {
    issueId,
    title: snapshot.title,
    culprit: snapshot.culprit,
    project: snapshot.project,
    release: snapshot.release,
    firstSeen: snapshot.firstSeen ? new Date(snapshot.firstSeen) : null,
    eventId: null,
    crash,
    source: 'alert-snapshot',
  };
}

export async function loadIssueFacts(deps: WorkerDeps, issueId: string, log: Logger): Promise<FactsOutcome> {
  if (deps.glitchtip && deps.config.glitchtip.integrationEnabled) {
    let issue: GlitchTipIssue;
    try {
      issue = await deps.glitchtip.getIssue(issueId);
    } catch (error) {
      if (error instanceof GlitchTipHttpError && error.status === 404) return { gone: true };
      throw error;
    }
    const event = await deps.glitchtip.getLatestEvent(issueId).catch((error: unknown) => {
      log.warn({ err: error }, 'latest event unavailable; investigating from the culprit');
      return null;
    });
    return { found: factsFromApi(issue, event) };
  }
  const recorded = await fromAlertRow(deps, issueId);
  if (recorded) return { found: recorded };
  return { unavailable: deps.glitchtip ? 'GLITCHTIP_INTEGRATION_ENABLED=false and no alert recorded for this issue' : 'no GlitchTip API and no alert recorded for this issue' };
}
