import type { AlertItem } from '../alert-item';
import { issueCountFromText } from '../alert-hints';
import { lenientObjectList, requireObjectList, type JsonObject } from '../body-shape';
import type { FormatReading } from './format-reading';

/** GlitchTip's Discord recipient: `content` holds the count, one embed per issue, colours as integers, no short id. */
export function readDiscordWebhook(body: JsonObject): FormatReading {
  const embeds = requireObjectList(body, 'embeds', '');
  const items = embeds.map((embed, index): AlertItem => ({
    where: `embeds[${index}]`,
    link: embed.url,
    title: embed.title,
    text: embed.description,
    colour: embed.color,
    fields: lenientObjectList(embed.fields).map((field) => ({ title: field.name, value: field.value })),
    shortId: null,
  }));
  return { items, statedIssueCount: issueCountFromText(body.content) };
}
