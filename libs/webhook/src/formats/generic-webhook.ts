import type { AlertItem } from '../alert-item';
import { issueCountFromText } from '../alert-hints';
import { lenientObjectList, requireObjectList, textOrNull, type JsonObject } from '../body-shape';
import type { FormatReading } from './format-reading';

/**
 * GlitchTip's "General Slack-compatible webhook": `attachments` (one per issue shown, at most 3) with `sections`
 * beside them for MS Teams. Only `sections` carries the short id ("[View Issue BACKEND-1A](link)").
 */
export function readGenericWebhook(body: JsonObject): FormatReading {
  const attachments = requireObjectList(body, 'attachments', '');
  const sections = lenientObjectList(body.sections);
  const items = attachments.map((attachment, index): AlertItem => ({
    where: `attachments[${index}]`,
    link: attachment.title_link,
    title: attachment.title,
    text: attachment.text,
    colour: attachment.color,
    fields: lenientObjectList(attachment.fields).map((field) => ({ title: field.title, value: field.value })),
    shortId: shortIdFromSections(sections, index, textOrNull(attachment.title_link)),
  }));
  return { items, statedIssueCount: issueCountFromText(body.text) };
}

const viewIssueLink = /View Issue ([A-Za-z0-9_.-]+)\]\(([^)]*)\)/;

/** Sections run parallel to attachments; match by link first in case a sender reordered them. */
function shortIdFromSections(sections: JsonObject[], index: number, link: string | null): string | null {
  const subtitles = sections.map((section) => (typeof section.activitySubtitle === 'string' ? viewIssueLink.exec(section.activitySubtitle) : null));
  const byLink = link === null ? undefined : subtitles.find((match) => match?.[2] === link);
  return (byLink ?? subtitles[index])?.[1] ?? null;
}
