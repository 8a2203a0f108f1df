import type { IssueFacts } from './runbook';

/** The parts of a GlitchTip issue the patterns look at (structural, so this lib needs no GlitchTip client). */
export interface IssueFields {
  title: string;
  culprit: string | null;
  level: string | null;
  metadata: Record<string, unknown>;
}

export interface EventFields {
  message: string;
  culprit?: string | null;
  tags: ReadonlyArray<{ key: string; value: string }>;
  /** Exception type and value of each exception (a wrapped cause often carries the telling text). */
  exceptions?: ReadonlyArray<{ type: string | null; value: string | null }>;
}

/** What the runbook patterns look at: the message gathers the event's message, the metadata value and exception texts, without repeats. */
export function issueFactsOf(issue: IssueFields, event: EventFields | null, componentTag: string): IssueFacts {
  const tag = (key: string) => event?.tags.find((entry) => entry.key === key)?.value ?? null;
  const metadataValue = typeof issue.metadata.value === 'string' ? issue.metadata.value : '';
  const exceptionTexts = (event?.exceptions ?? []).map((exception) => [exception.type, exception.value].filter(Boolean).join(': '));
  const messages = [...new Set([event?.message ?? '', metadataValue, ...exceptionTexts].map((text) => text.trim()).filter((text) => text !== '' && text !== issue.title))];
  return {
    title: issue.title,
    culprit: issue.culprit || event?.culprit || null,
    message: messages.join('\n') || null,
    level: issue.level,
    component: tag(componentTag),
    environment: tag('environment'),
  };
}
