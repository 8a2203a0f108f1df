/**
 * Test support: an independent reading of Telegram's HTML parse mode rules (Bot API "Formatting options"), used to
 * check rendered messages. Deliberately shares no code with the renderer.
 */
export interface TelegramHtmlReport {
  errors: string[];
  /** The text after entity parsing, what Telegram counts against the 4096 limit. */
  visibleText: string;
}

const allowedAttributes: Record<string, string[]> = {
  b: [], strong: [], i: [], em: [], u: [], ins: [], s: [], strike: [], del: [], 'tg-spoiler': [],
  a: ['href'], code: ['class'], pre: [], blockquote: ['expandable'], 'tg-emoji': ['emoji-id'],
};
const entityNames: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function decodeEntity(body: string): string | null {
  if (body in entityNames) return entityNames[body] ?? null;
  const numeric = /^#(?:x([0-9a-fA-F]{1,6})|(\d{1,7}))$/.exec(body);
  if (!numeric) return null;
  const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : null;
}

function isWellFormedUtf16(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      index += 1;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

export function checkTelegramHtml(html: string): TelegramHtmlReport {
  const errors: string[] = [];
  const open: string[] = [];
  let visibleText = '';
  let index = 0;
  while (index < html.length) {
    const char = html[index] ?? '';
    if (char === '<') {
      const end = html.indexOf('>', index);
      const tag = end === -1 ? null : /^<(\/?)([a-z-]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>$/.exec(html.slice(index, end + 1));
      if (tag === null) {
        errors.push(`raw "<" at ${index}`);
        index += 1;
        continue;
      }
      const [, closing, name = '', attributeText = ''] = tag;
      const allowed = allowedAttributes[name];
      if (allowed === undefined) errors.push(`tag <${name}> is not supported`);
      if (closing) {
        if (attributeText.trim() !== '') errors.push(`closing tag </${name}> has attributes`);
        const top = open.pop();
        if (top !== name) errors.push(`</${name}> closes <${top ?? 'nothing'}>`);
      } else {
        for (const attribute of attributeText.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
          if (!(allowed ?? []).includes(attribute[1] ?? '')) errors.push(`<${name}> may not have attribute ${attribute[1]}`);
          for (const entity of (attribute[2] ?? '').matchAll(/&([^;&\s]*);?/g)) {
            if (!entity[0].endsWith(';') || decodeEntity(entity[1] ?? '') === null) errors.push(`bad entity in attribute: ${entity[0]}`);
          }
        }
        if (name === 'a' && !/\bhref="https?:\/\/[^"]+"/.test(attributeText)) errors.push('<a> without an http(s) href');
        const parent = open[open.length - 1];
        if (parent === 'pre' && name !== 'code') errors.push(`<${name}> inside <pre>`);
        if (parent === 'code') errors.push(`<${name}> inside <code>`);
        if (name === 'a' && open.includes('a')) errors.push('nested <a>');
        if (name === 'blockquote' && open.includes('blockquote')) errors.push('nested <blockquote>');
        open.push(name);
      }
      index = end + 1;
      continue;
    }
    if (char === '>') errors.push(`raw ">" at ${index}`);
    if (char === '&') {
      const entity = /^&([^;&\s<>]{1,10});/.exec(html.slice(index, index + 13));
      const decoded = entity === null ? null : decodeEntity(entity[1] ?? '');
      if (entity === null || decoded === null) {
        errors.push(`raw or unknown entity "&" at ${index}`);
        index += 1;
        continue;
      }
      visibleText += decoded;
      index += entity[0].length;
      continue;
    }
    visibleText += char;
    index += 1;
  }
  if (open.length > 0) errors.push(`unclosed tags: ${open.join(', ')}`);
  if (!isWellFormedUtf16(html)) errors.push('lone UTF-16 surrogate');
  return { errors, visibleText };
}
