import { eq } from 'drizzle-orm';
import { alertSnapshotSchema } from '@triage/alerts';
import { alerts } from '@triage/db';
import { GlitchTipHttpError, type GlitchTipEvent, type GlitchTipIssue } from '@triage/glitchtip';
import { framesFromCulprit, framesFromEvent, type CrashFrames } from '@triage/investigation';
import type { Logger } from '@triage/logger';
import type { WorkerDeps } from '../worker-deps';

/** What an investigation starts from: the issue, its latest event's frames and release. */
export interface IssueFacts {
  issueId: string;
  title: string;
  culprit: string | null;
  project: string | null;
  release: string | null;
  firstSeen: Date | null;
  /** The event investigated (cache and dedup key); null when only the webhook's data is known. */
  eventId: string | null;
  crash: CrashFrames;
  source: 'api' | 'alert-snapshot';
}

export type FactsOutcome = { found: IssueFacts } | { gone: true } | { unavailable: string };

function releaseOf(event: GlitchTipEvent | null): string | null {
  return event?.tags.find((tag) => tag.key === 'release')?.value ?? null;
}

function fromApi(issue: GlitchTipIssue, event: GlitchTipEvent | null): IssueFacts {
  const crash = event ? framesFromEvent(event) : framesFromCulprit(issue.culprit, issue.title);
  return {
    issueId: issue.id,
    title: issue.title,
    culprit: issue.culprit || null,
    project: issue.project.slug,
    release: releaseOf(event),
    firstSeen: new Date(issue.firstSeen),
    eventId: event?.eventID ?? null,
    crash: crash.frames.length > 0 ? crash : framesFromCulprit(issue.culprit, issue.title),
    source: 'api',
  };
}

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
    return { found: fromApi(issue, event) };
  }
  const recorded = await fromAlertRow(deps, issueId);
  if (recorded) return { found: recorded };
  return { unavailable: deps.glitchtip ? 'GLITCHTIP_INTEGRATION_ENABLED=false and no alert recorded for this issue' : 'no GlitchTip API and no alert recorded for this issue' };
}
