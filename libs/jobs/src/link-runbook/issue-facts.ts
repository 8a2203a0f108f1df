import { extractExceptions, type GlitchTipEvent, type GlitchTipIssue } from '@triage/glitchtip';
import { issueFactsOf, type IssueFacts } from '@triage/runbooks';

/** An issue and its latest event as the runbook patterns see them. */
export function factsOfIssue(issue: GlitchTipIssue, event: GlitchTipEvent | null, componentTag: string): IssueFacts {
  return issueFactsOf(issue, event ? { ...event, exceptions: extractExceptions(event) } : null, componentTag);
}
