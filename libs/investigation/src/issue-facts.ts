import type { GlitchTipEvent, GlitchTipIssue } from '@triage/glitchtip';
import { framesFromCulprit, framesFromEvent, type CrashFrames } from './frames';

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

function releaseOf(event: GlitchTipEvent | null): string | null {
  return event?.tags.find((tag) => tag.key === 'release')?.value ?? null;
}

/** The issue and its latest event as the API gives them; the culprit when the event has no frames. */
export function factsFromApi(issue: GlitchTipIssue, event: GlitchTipEvent | null): IssueFacts {
  const crash = event ? framesFromEvent(event) : undefined;
  return {
    issueId: issue.id,
    title: issue.title,
    culprit: issue.culprit || null,
    project: issue.project.slug,
    release: releaseOf(event),
    firstSeen: new Date(issue.firstSeen),
    eventId: event?.eventID ?? null,
    crash: crash && crash.frames.length > 0 ? crash : framesFromCulprit(issue.culprit, issue.title),
    source: 'api',
  };
}
