import { describe, it, expect } from '@jest/globals';
import { parseTelegramHtml, type ParsedEntity } from './html-entities';

describe('parseTelegramHtml accepts what Telegram accepts', () => {
  const cases: Array<{ name: string; html: string; text: string; entities?: ParsedEntity[] }> = [
    { name: 'plain text', html: 'hello', text: 'hello' },
    { name: 'an escaped < counts as one character', html: 'a &lt; b', text: 'a < b' },
    { name: 'all four named entities', html: '&lt;&gt;&amp;&quot;', text: '<>&"' },
    { name: 'decimal and hex numeric entities', html: '&#60;&#x3E;&#x41;', text: '<>A' },
    {
      name: 'an emoji (surrogate pair) counts as two UTF-16 units in offsets',
      html: '🔥 <b>x</b>',
      text: '🔥 x',
      entities: [{ type: 'bold', offset: 3, length: 1 }],
    },
    {
      name: 'nested bold and italic',
      html: '<b>bold <i>both</i></b>',
      text: 'bold both',
      entities: [
        { type: 'bold', offset: 0, length: 9 },
        { type: 'italic', offset: 5, length: 4 },
      ],
    },
    { name: 'tag names are case-insensitive', html: '<B>x</B>', text: 'x', entities: [{ type: 'bold', offset: 0, length: 1 }] },
    { name: 'an end tag may omit its name', html: '<b>x</>', text: 'x', entities: [{ type: 'bold', offset: 0, length: 1 }] },
    {
      name: 'a link with an escaped ampersand in href',
      html: '<a href="https://e.example/?a=1&amp;b=2">go</a>',
      text: 'go',
      entities: [{ type: 'text_link', offset: 0, length: 2, url: 'https://e.example/?a=1&b=2' }],
    },
    {
      name: 'bold inside a link',
      html: '<a href="https://e.example"><b>go</b></a>',
      text: 'go',
      entities: [
        { type: 'bold', offset: 0, length: 2 },
        { type: 'text_link', offset: 0, length: 2, url: 'https://e.example' },
      ],
    },
    {
      name: 'pre with a language-tagged code block is one pre entity',
      html: '<pre><code class="language-ts">let a = 1 &lt; 2;</code></pre>',
      text: 'let a = 1 < 2;',
      entities: [{ type: 'pre', offset: 0, length: 14, language: 'ts' }],
    },
    { name: 'spoiler by span class', html: '<span class="tg-spoiler">s</span>', text: 's', entities: [{ type: 'spoiler', offset: 0, length: 1 }] },
    { name: 'unquoted attribute value', html: '<span class=tg-spoiler>s</span>', text: 's', entities: [{ type: 'spoiler', offset: 0, length: 1 }] },
    {
      name: 'expandable blockquote containing code',
      html: '<blockquote expandable>a <code>b</code></blockquote>',
      text: 'a b',
      entities: [
        { type: 'expandable_blockquote', offset: 0, length: 3 },
        { type: 'code', offset: 2, length: 1 },
      ],
    },
    {
      name: 'leading and trailing whitespace is trimmed and entities shortened',
      html: '\n <b>x </b>\n',
      text: 'x',
      entities: [{ type: 'bold', offset: 0, length: 1 }],
    },
    { name: 'an empty tag creates no entity', html: 'a<b></b>', text: 'a', entities: [] },
    {
      name: 'custom emoji',
      html: '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
      text: '👍',
      entities: [{ type: 'custom_emoji', offset: 0, length: 2, custom_emoji_id: '5368324170671202286' }],
    },
  ];

  it.each(cases)('$name', ({ html, text, entities }) => {
    const result = parseTelegramHtml(html);
    expect(result).toEqual({ ok: true, text, entities: entities ?? [] });
  });

  it('measures length after parsing: 4096 escaped characters are 4096 long', () => {
    const result = parseTelegramHtml('&lt;'.repeat(4096));
    expect(result.ok && result.text.length).toBe(4096);
  });
});

describe('parseTelegramHtml rejects what Telegram (or its documentation) rejects', () => {
  const cases: Array<{ name: string; html: string; error: string }> = [
    { name: 'an unsupported tag', html: 'a <div>x</div>', error: 'Unsupported start tag "div" at byte offset 2' },
    { name: 'a stray < before a space', html: 'a < b', error: 'Unsupported start tag "" at byte offset 2' },
    { name: 'a generic type in a stack trace', html: 'List<String> x', error: 'Unsupported start tag "string" at byte offset 4' },
    { name: 'a < at the very end', html: 'a <', error: 'Unclosed start tag at byte offset 2' },
    { name: 'byte offsets count UTF-8 bytes', html: 'é<x>', error: 'Unsupported start tag "x" at byte offset 2' },
    { name: 'an unclosed tag', html: '<b>bold', error: 'Can\'t find end tag corresponding to start tag "b"' },
    { name: 'misnested tags', html: '<b><i>x</b></i>', error: 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"' },
    { name: 'an end tag with nothing open', html: 'x</b>', error: 'Unexpected end tag at byte offset 1' },
    { name: 'an end tag never closed', html: '<b>x</b', error: 'Unclosed end tag at byte offset 4' },
    { name: 'an unknown named entity', html: 'a &foo; b', error: 'Unsupported HTML entity "&foo;" at byte offset 2' },
    { name: 'a bare ampersand', html: 'Q&A', error: 'Character "&" must be escaped as "&amp;" at byte offset 1' },
    { name: 'an entity without its semicolon', html: '&lt b', error: 'Character "&" must be escaped as "&amp;" at byte offset 0' },
    { name: 'a bare >', html: 'a > b', error: 'Character ">" must be escaped as "&gt;" at byte offset 2' },
    { name: 'bold inside pre', html: '<pre><b>x</b></pre>', error: 'Tag "b" can\'t be nested in "pre" at byte offset 5' },
    { name: 'italic inside code', html: '<code><i>x</i></code>', error: 'Tag "i" can\'t be nested in "code" at byte offset 6' },
    { name: 'a link inside a link', html: '<a href="https://a.example"><a href="https://b.example">x</a></a>', error: 'Tag "a" can\'t be nested in "a" at byte offset 28' },
    { name: 'code inside a link', html: '<a href="https://a.example"><code>x</code></a>', error: 'Tag "code" can\'t be nested in "a" at byte offset 28' },
    { name: 'nested blockquotes', html: '<blockquote><blockquote>x</blockquote></blockquote>', error: 'Tag "blockquote" can\'t be nested in "blockquote" at byte offset 12' },
    { name: 'a span that is not a spoiler', html: '<span class="x">y</span>', error: 'Tag "span" must have class "tg-spoiler" at byte offset 0' },
    { name: 'an unquoted value with a stray character', html: '<span class=a/b>x</span>', error: 'Unexpected end of name token at byte offset 12' },
  ];

  it.each(cases)('$name', ({ html, error }) => {
    expect(parseTelegramHtml(html)).toEqual({ ok: false, error });
  });
});
