import type { AlertItem } from '../alert-item';
import { isJsonObject, lenientObjectList, requireObjectList, textOrNull, WebhookRejection, type JsonObject } from '../body-shape';
import type { FormatReading } from './format-reading';

/**
 * GlitchTip's Google Chat recipient: one card per issue (no total count). An issue card's header subtitle is the
 * project and its section header the coloured title; an uptime card's header subtitle is the monitor name.
 */
export function readGoogleChatWebhook(body: JsonObject): FormatReading {
  const cards = requireObjectList(body, 'cardsV2', '');
  const items = cards.flatMap((entry, cardIndex) => {
    const where = `cardsV2[${cardIndex}].card`;
    const card = entry.card;
    if (!isJsonObject(card)) throw new WebhookRejection(`${where} must be an object`);
    const header = isJsonObject(card.header) ? card.header : {};
    const isUptimeCard = /uptime/i.test(textOrNull(header.title) ?? '');
    const subtitle = textOrNull(header.subtitle);
    return requireObjectList(card, 'sections', where).map((section, sectionIndex) =>
      itemFromSection(section, `${where}.sections[${sectionIndex}]`, isUptimeCard ? null : subtitle, isUptimeCard ? subtitle : null),
    );
  });
  return { items, statedIssueCount: null };
}

function itemFromSection(section: JsonObject, where: string, project: string | null, monitorName: string | null): AlertItem {
  const heading = parseSectionHeader(textOrNull(section.header));
  const widgets = lenientObjectList(section.widgets);
  const fields: AlertItem['fields'] = [];
  let link: string | null = null;
  let shortId: string | null = null;
  let culprit: string | null = null;
  let unlabelledText: string | null = null;

  for (const widget of widgets) {
    const decorated = isJsonObject(widget.decoratedText) ? widget.decoratedText : null;
    const buttons = [
      ...(decorated && isJsonObject(decorated.button) ? [decorated.button] : []),
      ...(isJsonObject(widget.buttonList) ? lenientObjectList(widget.buttonList.buttons) : []),
    ];
    for (const button of buttons) {
      link ??= buttonLink(button);
      shortId ??= /^View Issue (\S+)$/.exec(textOrNull(button.text)?.trim() ?? '')?.[1] ?? null;
    }
    if (!decorated) continue;
    const label = textOrNull(decorated.topLabel)?.trim() ?? null;
    if (label === null) unlabelledText ??= textOrNull(decorated.text);
    else if (label.toLowerCase() === 'culprit') culprit = textOrNull(decorated.text);
    else fields.push({ title: label, value: decorated.text });
  }
  return {
    where,
    link,
    title: heading.title ?? monitorName,
    text: culprit ?? unlabelledText,
    colour: heading.colour,
    fields,
    shortId,
    project,
  };
}

function buttonLink(button: JsonObject): string | null {
  const onClick = isJsonObject(button.onClick) ? button.onClick : {};
  const openLink = isJsonObject(onClick.openLink) ? onClick.openLink : {};
  return textOrNull(openLink.url);
}

/** "<font color='#e52b50'>ZeroDivisionError</font>" -> the title and its colour; other markup stays as sent. */
function parseSectionHeader(header: string | null): { title: string | null; colour: string | null } {
  if (header === null) return { title: null, colour: null };
  const font = /^\s*<font color=["']?([^"'>]*)["']?>([\s\S]*)<\/font>\s*$/i.exec(header);
  return font ? { title: textOrNull(font[2]), colour: font[1] ?? null } : { title: header, colour: null };
}
