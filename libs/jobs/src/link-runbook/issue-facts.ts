import { extractExceptions, type GlitchTipEvent, type GlitchTipIssue } from '@triage/glitchtip';
import type { IssueFacts } from '@triage/runbooks';

function tag(event: GlitchTipEvent | null, key: string): string | null {
  return event?.tags.find((entry) => entry.key === key)?.value ?? null;
}

/**
 * What the runbook patterns look at. The message gathers the event's message, the issue's metadata value and every
 * exception value (a wrapped cause often carries the telling text), without repeats.
 */
export function issueFactsOf(issue: GlitchTipIssue, event: GlitchTipEvent | null, componentTag: string): IssueFacts {
  const metadataValue = typeof issue.metadata.value === 'string' ? issue.metadata.value : '';
  const exceptionValues = event ? extractExceptions(event).map((exception) => [exception.type, exception.value].filter(Boolean).join(': ')) : [];
  const messages = [...new Set([event?.message ?? '', metadataValue, ...exceptionValues].map((text) => text.trim()).filter((text) => text !== '' && text !== issue.title))];
  return {
    title: issue.title,
    culprit: issue.culprit || event?.culprit || null,
    message: messages.join('\n') || null,
    level: issue.level,
    component: tag(event, componentTag),
    environment: tag(event, 'environment'),
  };
}
