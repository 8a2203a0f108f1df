import { describe, expect, it } from '@jest/globals';
import { checkTelegramHtml } from './telegram-html-checker';

// The checker guards every rendering test, so it must itself reject what Telegram rejects.
describe('checkTelegramHtml', () => {
  it.each([
    ['<b>ok</b> &lt;a&gt; &amp; &quot; &#128512; &#x1F600;', 'ok <a> & " 😀 😀'],
    ['<a href="https://x.example/?a=1&amp;b=2">link</a>', 'link'],
    ['<pre><code class="language-ts">x &lt; y</code></pre>', 'x < y'],
    ['🔥 שלום\u200b', '🔥 שלום\u200b'],
  ])('accepts %j', (html, visible) => {
    expect(checkTelegramHtml(html)).toEqual({ errors: [], visibleText: visible });
  });

  it.each([
    ['a < b', 'raw "<"'],
    ['a > b', 'raw ">"'],
    ['a & b', 'raw or unknown entity'],
    ['&nbsp;', 'raw or unknown entity'],
    ['<b>x', 'unclosed tags'],
    ['<b>x</i>', 'closes'],
    ['<div>x</div>', 'not supported'],
    ['<a href="javascript:alert(1)">x</a>', 'without an http(s) href'],
    ['<a href="https://x" target="_blank">x</a>', 'may not have attribute'],
    ['<pre><b>x</b></pre>', 'inside <pre>'],
    ['<a href="https://x"><a href="https://y">x</a></a>', 'nested <a>'],
    ['<a href="https://x/?a=1&b=2">x</a>', 'bad entity in attribute'],
    ['x\ud83d', 'lone UTF-16 surrogate'],
  ])('rejects %j', (html, problem) => {
    expect(checkTelegramHtml(html).errors.join('\n')).toContain(problem);
  });
});
