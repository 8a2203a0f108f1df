/**
 * Telegram's HTML parse mode, as the Bot API applies it to `text`/`caption` with `parse_mode: 'HTML'`.
 *
 * Follows the shape of tdlib's parse_html (error wording, byte offsets, attribute rules), and is stricter where
 * Telegram's documentation says "must" but the server forgives: a bare `&` or `>`, an unknown named entity such as
 * `&foo;`, and nesting the documentation forbids (anything inside pre/code, nested blockquotes, links inside links)
 * are rejected here, where the real server would pass them through or silently drop an entity.
 */

export interface ParsedEntity {
  type:
    | 'bold'
    | 'italic'
    | 'underline'
    | 'strikethrough'
    | 'spoiler'
    | 'text_link'
    | 'code'
    | 'pre'
    | 'blockquote'
    | 'expandable_blockquote'
    | 'custom_emoji';
  /** In UTF-16 code units, as Telegram counts. */
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export type HtmlParseResult =
  | { ok: true; text: string; entities: ParsedEntity[] }
  /** `error` is what follows "Bad Request: can't parse entities: ". */
  | { ok: false; error: string };

const formattingTags = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'tg-spoiler', 'span']);
const supportedTags = new Set([...formattingTags, 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
/** Entities the documentation says cannot contain each other (pre > code is the one allowed pairing). */
const exclusiveTags = new Set(['a', 'code', 'pre', 'tg-emoji']);
const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  /** href, language, spoiler marker, emoji id, or 'expandable'. */
  argument: string;
  offset: number;
  byteOffset: number;
  /** Set on a pre when its direct child is <code class="language-…">. */
  language?: string;
}

class HtmlParseError extends Error {}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

export function parseTelegramHtml(input: string): HtmlParseResult {
  try {
    return { ok: true, ...parse(input) };
  } catch (error) {
    if (error instanceof HtmlParseError) return { ok: false, error: error.message };
    throw error;
  }
}

function parse(input: string): { text: string; entities: ParsedEntity[] } {
  const byteOffsetOf = (index: number) => Buffer.byteLength(input.slice(0, index), 'utf8');
  const fail = (message: string): never => {
    throw new HtmlParseError(message);
  };
  const stack: OpenTag[] = [];
  const entities: ParsedEntity[] = [];
  let out = '';
  let i = 0;

  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '&') {
      const decoded = decodeEntity(input, i);
      if (!decoded) {
        const named = /^&([A-Za-z][A-Za-z0-9]*);/.exec(input.slice(i));
        if (named) fail(`Unsupported HTML entity "${named[0]}" at byte offset ${byteOffsetOf(i)}`);
        fail(`Character "&" must be escaped as "&amp;" at byte offset ${byteOffsetOf(i)}`);
      } else {
        out += decoded.text;
        i = decoded.end;
      }
      continue;
    }
    if (ch === '>') fail(`Character ">" must be escaped as "&gt;" at byte offset ${byteOffsetOf(i)}`);
    if (ch !== '<') {
      out += ch;
      i += 1;
      continue;
    }

    const tagStart = i;
    if (input[i + 1] === '/') {
      if (stack.length === 0) fail(`Unexpected end tag at byte offset ${byteOffsetOf(tagStart)}`);
      i += 2;
      const nameStart = i;
      while (i < input.length && !isSpace(input[i]) && input[i] !== '>') i += 1;
      const endName = input.slice(nameStart, i).toLowerCase();
      while (i < input.length && isSpace(input[i])) i += 1;
      if (input[i] !== '>') fail(`Unclosed end tag at byte offset ${byteOffsetOf(tagStart)}`);
      i += 1;
      const open = stack.pop()!;
      if (endName !== '' && endName !== open.name) {
        fail(`Unmatched end tag at byte offset ${byteOffsetOf(tagStart)}, expected "</${open.name}>", found "</${endName}>"`);
      }
      const entity = entityFor(open, out, stack[stack.length - 1]);
      if (entity) entities.push(entity);
      continue;
    }

    i += 1;
    const nameStart = i;
    while (i < input.length && !isSpace(input[i]) && input[i] !== '>') i += 1;
    if (i >= input.length) fail(`Unclosed start tag at byte offset ${byteOffsetOf(tagStart)}`);
    const name = input.slice(nameStart, i).toLowerCase();
    if (!supportedTags.has(name)) fail(`Unsupported start tag "${name}" at byte offset ${byteOffsetOf(tagStart)}`);

    let argument = '';
    while (input[i] !== '>') {
      while (i < input.length && isSpace(input[i])) i += 1;
      if (input[i] === '>') break;
      const attributeStart = i;
      while (i < input.length && !isSpace(input[i]) && !'=>/"\''.includes(input[i]!)) i += 1;
      const attribute = input.slice(attributeStart, i).toLowerCase();
      if (attribute === '') fail(`Empty attribute name in the tag "${name}" at byte offset ${byteOffsetOf(tagStart)}`);
      while (i < input.length && isSpace(input[i])) i += 1;
      if (i >= input.length) fail(`Unclosed start tag "${name}" at byte offset ${byteOffsetOf(tagStart)}`);
      if (input[i] !== '=') {
        if (name === 'blockquote' && attribute === 'expandable') argument = 'expandable';
        continue;
      }
      i += 1;
      while (i < input.length && isSpace(input[i])) i += 1;
      if (i >= input.length) fail(`Unclosed start tag "${name}" at byte offset ${byteOffsetOf(tagStart)}`);
      let value = '';
      const quote = input[i];
      if (quote === '"' || quote === "'") {
        i += 1;
        while (i < input.length && input[i] !== quote) {
          if (input[i] === '&') {
            const decoded = decodeEntity(input, i);
            if (decoded) {
              value += decoded.text;
              i = decoded.end;
              continue;
            }
          }
          value += input[i];
          i += 1;
        }
        if (input[i] === quote) i += 1;
      } else {
        const tokenStart = i;
        while (i < input.length && /[A-Za-z0-9.-]/.test(input[i]!)) i += 1;
        value = input.slice(tokenStart, i).toLowerCase();
        if (!isSpace(input[i]) && input[i] !== '>') fail(`Unexpected end of name token at byte offset ${byteOffsetOf(tokenStart)}`);
      }
      if (i >= input.length) fail(`Unclosed start tag at byte offset ${byteOffsetOf(tagStart)}`);
      if (name === 'a' && attribute === 'href') argument = value;
      else if (name === 'code' && attribute === 'class' && value.startsWith('language-')) argument = value.slice('language-'.length);
      else if (name === 'span' && attribute === 'class' && value.startsWith('tg-')) argument = value.slice('tg-'.length);
      else if (name === 'tg-emoji' && attribute === 'emoji-id') argument = value;
    }
    i += 1;

    if (name === 'span' && argument !== 'spoiler') {
      fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffsetOf(tagStart)}`);
    }
    if (name === 'tg-emoji' && !/^\d+$/.test(argument)) fail('Invalid custom emoji identifier specified');
    const nestingProblem = nestingError(name, stack);
    if (nestingProblem) fail(`${nestingProblem} at byte offset ${byteOffsetOf(tagStart)}`);
    stack.push({ name, argument, offset: out.length, byteOffset: byteOffsetOf(tagStart) });
  }

  if (stack.length > 0) fail(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]!.name}"`);
  return trimWithEntities(out, entities);
}

function nestingError(name: string, stack: OpenTag[]): string | undefined {
  const parent = stack[stack.length - 1];
  const codeAncestor = stack.find((tag) => tag.name === 'pre' || tag.name === 'code');
  if (codeAncestor) {
    const languageCodeInPre = name === 'code' && parent?.name === 'pre' && stack.filter((tag) => tag.name === 'code').length === 0;
    if (!languageCodeInPre) return `Tag "${name}" can't be nested in "${codeAncestor.name}"`;
    return undefined;
  }
  if (name === 'blockquote' && stack.some((tag) => tag.name === 'blockquote')) return `Tag "blockquote" can't be nested in "blockquote"`;
  if (exclusiveTags.has(name) || name === 'blockquote') {
    const container = stack.find((tag) => exclusiveTags.has(tag.name));
    if (container) return `Tag "${name}" can't be nested in "${container.name}"`;
  }
  return undefined;
}

function entityFor(open: OpenTag, text: string, parent: OpenTag | undefined): ParsedEntity | undefined {
  const end = text.length;
  const length = end - open.offset;
  if (open.name === 'code' && parent?.name === 'pre') {
    // <pre><code class="language-x"> is one pre entity carrying the language.
    if (open.argument !== '') parent.language = open.argument;
    return undefined;
  }
  if (length <= 0) return undefined;
  const base = { offset: open.offset, length };
  switch (open.name) {
    case 'b':
    case 'strong':
      return { type: 'bold', ...base };
    case 'i':
    case 'em':
      return { type: 'italic', ...base };
    case 'u':
    case 'ins':
      return { type: 'underline', ...base };
    case 's':
    case 'strike':
    case 'del':
      return { type: 'strikethrough', ...base };
    case 'tg-spoiler':
    case 'span':
      return { type: 'spoiler', ...base };
    case 'a':
      // Without href Telegram links the text itself; the URL is checked when the message is sent (check-link.ts).
      return { type: 'text_link', ...base, url: open.argument !== '' ? open.argument : text.slice(open.offset, end) };
    case 'code':
      return { type: 'code', ...base };
    case 'pre':
      return open.language ? { type: 'pre', ...base, language: open.language } : { type: 'pre', ...base };
    case 'blockquote':
      return { type: open.argument === 'expandable' ? 'expandable_blockquote' : 'blockquote', ...base };
    case 'tg-emoji':
      return { type: 'custom_emoji', ...base, custom_emoji_id: open.argument };
    default:
      return undefined;
  }
}

/**
 * Decodes `&lt; &gt; &amp; &quot;` and numeric references (`&#60;`, `&#x3C;`) starting at `start`, requiring the
 * closing `;`. Returns undefined when the text there is not such a reference.
 */
function decodeEntity(input: string, start: number): { text: string; end: number } | undefined {
  const numeric = /^&#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}));/.exec(input.slice(start, start + 12));
  if (numeric) {
    const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
    if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return undefined;
    return { text: String.fromCodePoint(codePoint), end: start + numeric[0].length };
  }
  const named = /^&([a-z]+);/.exec(input.slice(start, start + 8));
  if (named && namedEntities[named[1]!] !== undefined) return { text: namedEntities[named[1]!]!, end: start + named[0].length };
  return undefined;
}

/** Telegram drops leading and trailing whitespace of a message and shortens the entities that covered it. */
function trimWithEntities(text: string, entities: ParsedEntity[]): { text: string; entities: ParsedEntity[] } {
  const leading = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const adjusted: ParsedEntity[] = [];
  for (const entity of entities) {
    const start = Math.max(0, entity.offset - leading);
    const end = Math.min(trimmed.length, entity.offset + entity.length - leading);
    if (end > start) adjusted.push({ ...entity, offset: start, length: end - start });
  }
  adjusted.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: trimmed, entities: adjusted };
}
