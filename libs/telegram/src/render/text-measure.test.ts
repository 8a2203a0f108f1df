import { describe, expect, it } from '@jest/globals';
import { escapeHtml, escapeHtmlAttribute } from './escape-html';
import { formatCount, formatTimestamp } from './display-format';
import { stackTraceHead } from './stack-trace-text';
import { htmlToVisibleText, telegramTextLength } from './telegram-text-length';
import { truncateText } from './truncate-text';

describe('escapeHtml', () => {
  it.each([
    ['a < b && c > d', 'a &lt; b &amp;&amp; c &gt; d'],
    ['"quotes" stay', '"quotes" stay'],
    ['&amp; twice', '&amp;amp; twice'],
    ['_*[]()~`#+-=|{}.!', '_*[]()~`#+-=|{}.!'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('escapes quotes in attributes', () => {
    expect(escapeHtmlAttribute('https://x/?a="1"&b=<2>')).toBe('https://x/?a=&quot;1&quot;&amp;b=&lt;2&gt;');
  });
});

describe('telegramTextLength', () => {
  it.each([
    ['<b>abc</b>', 3],
    ['&lt;&gt;&amp;&quot;', 4],
    ['&#128512; &#x1F600;', 5],
    ['😀', 2],
    ['👩‍💻', 5],
    ['<a href="https://x/?a=1&amp;b=2">go</a>', 2],
  ])('%j is %d UTF-16 units after parsing', (html, length) => {
    expect(telegramTextLength(html)).toBe(length);
  });

  it('decodes what escapeHtml encoded', () => {
    const text = 'x < y & "z" > 😀';
    expect(htmlToVisibleText(escapeHtml(text))).toBe(text);
  });
});

describe('truncateText', () => {
  it.each([
    ['short', 10, 'short'],
    ['abcdefghij', 5, 'abcd…'],
    ['ab 😀😀', 4, 'ab…'],
    ['ab😀cd', 4, 'ab…'],
    ['ab😀cd', 5, 'ab😀…'],
    ['abc', 0, ''],
  ])('%j to %d -> %j', (text, max, expected) => {
    const result = truncateText(text, max);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(max);
  });
});

describe('stackTraceHead', () => {
  it.each([
    ['line1\nline2\nline3', 100, 'line1\nline2\nline3'],
    ['line1\nline2\nline3', 13, 'line1\nline2\n…'],
    ['aaaaaaaaaa', 5, 'aaaa…'],
    ['trailing\n\n\n', 100, 'trailing'],
  ])('%j to %d -> %j', (text, max, expected) => {
    expect(stackTraceHead(text, max)).toBe(expected);
  });
});

describe('display formats', () => {
  it.each([
    ['2024-05-01T10:00:00.123Z', '2024-05-01 10:00 UTC'],
    ['2024-05-01T12:30:00+02:00', '2024-05-01 10:30 UTC'],
    ['yesterday', 'yesterday'],
  ])('timestamp %s -> %s', (value, expected) => {
    expect(formatTimestamp(value)).toBe(expected);
  });

  it.each([
    ['12345', '12,345'],
    [1234567, '1,234,567'],
    [999, '999'],
    ['n/a', 'n/a'],
  ] as const)('count %s -> %s', (value, expected) => {
    expect(formatCount(value)).toBe(expected);
  });
});
