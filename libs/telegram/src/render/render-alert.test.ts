import { describe, expect, it } from '@jest/globals';
import { piiCorpus } from '@triage/pii';
import type { AlertView } from './alert-view';
import { alertDropOrder, renderAlert } from './render-alert';
import { checkTelegramHtml } from './telegram-html-checker';

function baseView(overrides: Partial<AlertView> = {}): AlertView {
  return {
    kind: 'issue',
    issueId: '4711',
    shortId: 'BACKEND-1A',
    title: 'TypeError: Cannot read properties of undefined (reading "id")',
    culprit: 'app/services/user.ts in findUser',
    level: 'error',
    project: 'backend',
    component: 'api',
    environment: 'production',
    release: '2.4.1',
    count: '12345',
    userCount: 17,
    firstSeen: '2024-05-01T10:00:00.000Z',
    lastSeen: '2024-05-02T11:30:00.000Z',
    stackTrace: '    at findUser (/app/src/services/user.ts:12:5)\n    at main (/app/src/main.ts:3:1)',
    tags: [
      { key: 'browser', value: 'Chrome 120' },
      { key: 'os', value: 'Linux' },
    ],
    issueUrl: 'https://glitchtip.example.com/acme/issues/4711',
    runbook: { title: 'User lookups', url: 'https://wiki.example.com/runbooks/users' },
    investigation: { summary: 'The cache returned null after a deploy.', url: 'https://triage.example.com/i/4711' },
    ...overrides,
  };
}

/** The rendered message must be something Telegram accepts, and measured the way Telegram measures it. */
function expectValidMessage(rendered: ReturnType<typeof renderAlert>, maxLength: number): string {
  const report = checkTelegramHtml(rendered.html);
  expect(report.errors).toEqual([]);
  expect(rendered.length).toBe(report.visibleText.length);
  expect(rendered.length).toBeLessThanOrEqual(maxLength);
  expect(rendered.plainText.length).toBeLessThanOrEqual(maxLength);
  expect(checkTelegramHtml(rendered.plainText.replace(/[<>&]/g, '')).errors).toEqual([]); // no lone surrogates
  return report.visibleText;
}

const hugeStack = Array.from({ length: 200 }, (_, index) => `    at handler${index} (/app/src/routes/r${index}.ts:${index}:7)`).join('\n');
const hostileText = '<script>alert("x")</script> & _under_ *star* [x](y) `tick` 🔥👩‍💻🇩🇪 שלום مرحبا \u200b\u200d\u2060\ufeff\u202e';

const hostileViews: Array<[string, Partial<AlertView>]> = [
  ['markup characters', { title: '<b>not bold</b> & &amp; "quoted" >', culprit: 'Map<string, List<int>> & co' }],
  ['Markdown characters', { title: 'snake_case_name *args **kwargs [link](url) ~strike~ `code`', tags: [{ key: 'a_b', value: '*_~`' }] }],
  ['emoji (surrogate pairs and ZWJ sequences)', { title: '💥🔥 Crash in 👩‍💻 module 🇩🇪'.repeat(30) }],
  ['right-to-left text', { title: 'خطأ في الاتصال بقاعدة البيانات', culprit: 'שגיאה בשרת', environment: 'إنتاج' }],
  ['zero-width and bidi control characters', { title: `a\u200bb\u200cc\u200dd\u2060e\ufefff\u202eg`, release: '\u200b1.0\u200b' }],
  ['a lone surrogate and control characters', { title: 'broken \ud83d half and \u0000 nul \u0007 bell', culprit: '\udc00' }],
  ['a 10k-character stack trace', { stackTrace: 'x'.repeat(10_000) }],
  ['a 10k-character multi-line stack trace', { stackTrace: hugeStack }],
  ['50 tags', { tags: Array.from({ length: 50 }, (_, index) => ({ key: `tag${index}`, value: `value-${index}-${'v'.repeat(80)}` })) }],
  ['a 3000-character title', { title: 'T'.repeat(3000) }],
  ['a 3000-character title of emoji', { title: '😀'.repeat(1500) }],
  ['huge values everywhere', {
    title: hostileText.repeat(40),
    culprit: hostileText.repeat(40),
    project: hostileText.repeat(10),
    component: hostileText.repeat(10),
    environment: hostileText.repeat(10),
    release: hostileText.repeat(10),
    stackTrace: hostileText.repeat(300),
    tags: Array.from({ length: 50 }, () => ({ key: hostileText, value: hostileText.repeat(5) })),
    investigation: { summary: hostileText.repeat(100), url: 'https://triage.example.com/i/1?a=1&b="2"' },
    status: { state: 'muted', by: hostileText, until: '2024-05-03T00:00:00Z' },
    runbook: { title: hostileText.repeat(5), url: 'https://wiki.example.com/rb?x=<1>&y="2"' },
  }],
];

describe('renderAlert output is always valid Telegram HTML within the limit', () => {
  const limits = [4096, 1500, 600, 300];
  it.each(hostileViews.flatMap(([name, overrides]) => limits.map((maxLength) => [name, maxLength, overrides] as const)))(
    '%s, maxLength %d',
    (_name, maxLength, overrides) => {
      expectValidMessage(renderAlert(baseView(overrides), { maxLength }), maxLength);
    },
  );
});

describe('renderAlert content', () => {
  it('shows every block of an ordinary alert, escaped, without dropping any', () => {
    const rendered = renderAlert(baseView({ title: 'Map<K, V> & co', status: { state: 'resolved', by: '@alice', at: '2024-05-02T12:00:00Z' } }));
    const visible = expectValidMessage(rendered, 4096);
    expect(rendered.droppedBlocks).toEqual([]);
    expect(rendered.html).toContain('🔴 <b>Map&lt;K, V&gt; &amp; co</b>');
    expect(rendered.html).toContain('<i>app/services/user.ts in findUser</i>');
    expect(visible).toContain('✅ Resolved by @alice at 2024-05-02 12:00 UTC');
    expect(visible).toContain('Project: backend · Component: api · Env: production · Release: 2.4.1');
    expect(visible).toContain('Level: error · Events: 12,345 · Users: 17');
    expect(visible).toContain('First seen: 2024-05-01 10:00 UTC · Last seen: 2024-05-02 11:30 UTC');
    expect(rendered.html).toContain('<pre>    at findUser (/app/src/services/user.ts:12:5)\n    at main (/app/src/main.ts:3:1)</pre>');
    expect(visible).toContain('🏷 browser: Chrome 120 · os: Linux');
    expect(rendered.html).toContain('<a href="https://triage.example.com/i/4711">details</a>');
    expect(rendered.html).toContain('<a href="https://glitchtip.example.com/acme/issues/4711">Open issue BACKEND-1A</a>');
    expect(rendered.html).toContain('<a href="https://wiki.example.com/runbooks/users">Runbook: User lookups</a>');
    expect(visible).not.toContain('see issue');
    expect(rendered.plainText).toContain('Open issue BACKEND-1A: https://glitchtip.example.com/acme/issues/4711');
    expect(rendered.plainText).toContain('🔴 Map<K, V> & co');
  });

  it.each([
    [{ state: 'resolved', by: '@alice', at: '2024-05-02T12:00:00Z' }, '✅ Resolved by @alice at 2024-05-02 12:00 UTC'],
    [{ state: 'ignored', by: '@bob', at: '2024-05-02T12:00:00Z' }, '🙈 Ignored by @bob at 2024-05-02 12:00 UTC'],
    [{ state: 'muted', by: '@carol', at: '2024-05-02T12:00:00Z', until: '2024-05-02T16:00:00Z' }, '🔕 Muted by @carol until 2024-05-02 16:00 UTC'],
    [{ state: 'regressed', at: '2024-05-03T08:15:00Z' }, '🔁 Regressed at 2024-05-03 08:15 UTC'],
    [{ state: 'unresolved', by: '@dave' }, '↩️ Reopened by @dave'],
  ] as const)('status %j reads %s', (status, line) => {
    const visible = expectValidMessage(renderAlert(baseView({ status })), 4096);
    expect(visible.split('\n')).toContain(line);
  });

  it.each([
    ['fatal', '💀'],
    ['error', '🔴'],
    ['warning', '🟠'],
    ['info', '🔵'],
    ['debug', '⚪'],
    [null, '❗'],
  ] as const)('level %s starts the title with %s', (level, emoji) => {
    expect(renderAlert(baseView({ level })).plainText.startsWith(`${emoji} `)).toBe(true);
  });

  it.each([
    [true, '🚨 <b>Down: API health</b>'],
    [false, '✅ <b>Up again: API health</b>'],
  ])('uptime alert, down=%s', (down, headline) => {
    const rendered = renderAlert({
      kind: 'uptime',
      issueId: '9',
      title: 'Timeout after 30s',
      level: null,
      tags: [],
      issueUrl: 'https://glitchtip.example.com/acme/uptime-monitors/9',
      uptime: { down, monitorName: 'API health' },
    });
    expectValidMessage(rendered, 4096);
    expect(rendered.html.split('\n')[0]).toBe(headline);
    expect(rendered.html).toContain('<i>Timeout after 30s</i>');
    expect(rendered.html).toContain('>Open monitor</a>');
  });

  it('turns frames into a most-recent-first trace', () => {
    const rendered = renderAlert(
      baseView({
        stackTrace: [
          { filename: 'src/main.ts', function: 'main', lineNo: 3, colNo: 1, inApp: true },
          { filename: 'src/user.ts', function: 'findUser', lineNo: 12, colNo: 5, contextLine: '  if (a < b && c) {', inApp: true },
        ],
      }),
    );
    expect(rendered.html).toContain('<pre>at findUser (src/user.ts:12:5)\n    if (a &lt; b &amp;&amp; c) {\nat main (src/main.ts:3:1)</pre>');
  });

  it('escapes link targets and leaves out links that are not http(s)', () => {
    const rendered = renderAlert(
      baseView({ issueUrl: 'https://user:pw@glitchtip.example.com/issues/1?a=1&b="2"', runbook: { title: 'x', url: 'javascript:alert(1)' } }),
    );
    expectValidMessage(rendered, 4096);
    expect(rendered.html).toContain('<a href="https://glitchtip.example.com/issues/1?a=1&amp;b=%222%22">Open issue BACKEND-1A</a>');
    expect(rendered.html).not.toContain('javascript:');
    expect(rendered.html).not.toContain('pw@');
  });

  it('keeps links to hosts without a dot as plain text, since Telegram refuses the whole message for them', () => {
    const rendered = renderAlert(baseView({ issueUrl: 'http://glitchtip:8000/acme/issues/1', runbook: { title: 'Pool', url: 'http://localhost:3000/runbooks/pool' } }));
    expectValidMessage(rendered, 4096);
    expect(rendered.html).not.toContain('<a href="http://glitchtip:8000');
    expect(rendered.html).not.toContain('<a href="http://localhost');
    expect(rendered.html).toContain('Open issue BACKEND-1A');
  });

  it('shows the first ~500 characters of the stack trace, cut after a whole line', () => {
    const rendered = renderAlert(baseView({ stackTrace: hugeStack }));
    const pre = /<pre>([\s\S]*)<\/pre>/.exec(rendered.html)?.[1] ?? '';
    expect(pre.length).toBeLessThanOrEqual(500);
    expect(pre.length).toBeGreaterThan(400);
    expect(pre.endsWith('\n…')).toBe(true);
    expect(hugeStack.startsWith(pre.slice(0, -2))).toBe(true);
  });

  it('lists at most 20 tags and counts the rest', () => {
    const tags = Array.from({ length: 50 }, (_, index) => ({ key: `k${index}`, value: `v${index}` }));
    const visible = expectValidMessage(renderAlert(baseView({ tags })), 4096);
    expect(visible).toContain('k19: v19 (+30 more)');
    expect(visible).not.toContain('k20: v20');
  });
});

describe('renderAlert over the limit', () => {
  const bigView = baseView({
    stackTrace: hugeStack,
    tags: Array.from({ length: 20 }, (_, index) => ({ key: `tag${index}`, value: 'v'.repeat(60) })),
    investigation: { summary: 'w'.repeat(600) },
    culprit: 'c'.repeat(200),
    status: { state: 'resolved', by: '@alice', at: '2024-05-02T12:00:00Z' },
  });
  const full = renderAlert(bigView);
  // Both forms must fit: the plain-text fallback writes link targets out, so it is the longer one here.
  const fullLength = Math.max(full.length, full.plainText.length);

  it('drops whole blocks in the fixed order as the limit shrinks, then shortens the title', () => {
    let previous: string[] = [];
    for (let maxLength = fullLength; maxLength >= 150; maxLength -= 7) {
      const rendered = renderAlert(bigView, { maxLength });
      expectValidMessage(rendered, maxLength);
      expect(rendered.droppedBlocks).toEqual(alertDropOrder.slice(0, rendered.droppedBlocks.length));
      expect(rendered.droppedBlocks.length).toBeGreaterThanOrEqual(previous.length);
      expect(rendered.plainText.includes('… see issue BACKEND-1A')).toBe(rendered.droppedBlocks.length > 0);
      expect(rendered.html).toContain('href="https://glitchtip.example.com/acme/issues/4711"');
      previous = rendered.droppedBlocks;
    }
    expect(previous).toEqual([...alertDropOrder]);
  });

  it('drops nothing when both forms fit exactly', () => {
    expect(full.plainText.length).toBeGreaterThan(full.length);
    expect(renderAlert(bigView, { maxLength: fullLength }).droppedBlocks).toEqual([]);
    expect(renderAlert(bigView, { maxLength: fullLength - 1 }).droppedBlocks).toEqual(['stack']);
  });

  it('cuts a too-long title at a code point boundary, before escaping', () => {
    const title = `${'&<'.repeat(100)}${'😀'.repeat(400)}`;
    for (const maxLength of [300, 301, 302, 303, 450]) {
      const rendered = renderAlert(baseView({ title }), { maxLength });
      const visible = expectValidMessage(rendered, maxLength);
      const shown = (visible.split('\n')[0] ?? '').replace(/^🔴 /, '');
      expect(shown.endsWith('…')).toBe(true);
      expect(title.startsWith(shown.slice(0, -1))).toBe(true);
      expect(shown.length).toBeLessThan(title.length);
    }
  });

  it('refuses a limit too small for the title line and the issue link', () => {
    expect(() => renderAlert(baseView(), { maxLength: 20 })).toThrow(RangeError);
  });
});

describe('renderAlert scrubs PII from every value it shows', () => {
  it.each(piiCorpus.filter((line) => line.pii.length > 0).map((line) => [line.text, line] as const))('%s', (_text, line) => {
    const rendered = renderAlert(
      baseView({
        title: line.text,
        culprit: line.text,
        environment: line.text,
        release: line.text,
        stackTrace: line.text,
        tags: [{ key: 'context', value: line.text }],
        investigation: { summary: line.text },
        status: { state: 'resolved', by: line.text, at: line.text },
      }),
    );
    const visible = expectValidMessage(rendered, 4096);
    for (const item of line.pii) {
      expect(visible).not.toContain(item);
      expect(rendered.plainText).not.toContain(item);
    }
  });
});
