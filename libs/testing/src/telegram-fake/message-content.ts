import { badRequest } from './bot-api-replies';
import { checkTelegramLink } from './check-link';
import { parseTelegramHtml, type ParsedEntity } from './html-entities';

export const maxMessageLength = 4096;
export const maxCaptionLength = 1024;

export interface MessageContent {
  text: string;
  entities: ParsedEntity[];
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Turns `text` (or `caption`) with its parse_mode into what Telegram stores, rejecting it as Telegram does. Lengths
 * are measured after entity parsing, in UTF-16 code units.
 */
export function parseMessageContent(
  raw: unknown,
  parseMode: unknown,
  explicitEntities: unknown,
  kind: 'text' | 'caption',
): MessageContent {
  const source = raw === undefined || raw === null ? '' : String(raw);
  // A lone UTF-16 surrogate (half an emoji, from a careless cut) cannot be encoded as UTF-8, which Telegram requires.
  if (loneSurrogate.test(source)) badRequest('strings must be encoded in UTF-8');
  const content = parseWithMode(source, parseMode, explicitEntities);
  if (kind === 'text' && content.text.length === 0) badRequest('message text is empty');
  if (kind === 'text' && content.text.length > maxMessageLength) badRequest('message is too long');
  if (kind === 'caption' && content.text.length > maxCaptionLength) badRequest('message caption is too long');
  for (const entity of content.entities) {
    if (entity.type !== 'text_link' || entity.url === undefined) continue;
    const link = checkTelegramLink(entity.url);
    if (!link.ok) badRequest(`entity URL '${entity.url}' is invalid: ${link.reason}`);
  }
  return content;
}

function parseWithMode(source: string, parseMode: unknown, explicitEntities: unknown): MessageContent {
  if (parseMode === undefined || parseMode === '') return { text: source.trim(), entities: readEntities(explicitEntities, source.trim()) };
  if (typeof parseMode !== 'string') badRequest('unsupported parse_mode');
  const mode = parseMode.toLowerCase();
  if (mode === 'html') {
    const parsed = parseTelegramHtml(source);
    if (!parsed.ok) badRequest(`can't parse entities: ${parsed.error}`);
    return { text: parsed.text, entities: parsed.entities };
  }
  if (mode === 'markdownv2' || mode === 'markdown') {
    // Triage renders HTML; a MarkdownV2 parser here would be untested surface.
    badRequest(`parse_mode ${parseMode} is not implemented by the Telegram fake; use HTML`);
  }
  return badRequest('unsupported parse_mode');
}

function readEntities(raw: unknown, text: string): ParsedEntity[] {
  if (raw === undefined || raw === '') return [];
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      badRequest("can't parse entities JSON object");
    }
  }
  if (!Array.isArray(value)) badRequest('field "entities" must be an Array');
  return (value as ParsedEntity[]).map((entity) => {
    if (!Number.isInteger(entity.offset) || !Number.isInteger(entity.length) || entity.offset < 0 || entity.length <= 0) {
      badRequest("can't parse entities: entity offset and length must be non-negative integers");
    }
    if (entity.offset + entity.length > text.length) badRequest("can't parse entities: entity beyond the end of the text");
    return entity;
  });
}
