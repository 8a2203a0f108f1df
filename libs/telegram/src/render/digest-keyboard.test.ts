import { describe, expect, it } from '@jest/globals';
import { decodeCallback } from '@triage/contracts';
import { buildDigestKeyboard, maxDigestIssueRows, maxKeyboardButtons, type DigestKeyboardItem } from './digest-keyboard';
import { renderDigest } from './render-digest';
import type { AlertView } from './alert-view';

const item = (index: number, issueUrl = `https://glitchtip.example.com/acme/issues/${7000 + index}`): DigestKeyboardItem => ({
  issueId: String(7000 + index),
  label: `BACKEND-${index}`,
  issueUrl,
});
const items = (count: number) => Array.from({ length: count }, (_, index) => item(index));
const buttons = (keyboard: ReturnType<typeof buildDigestKeyboard>) => keyboard.markup?.inline_keyboard.flat() ?? [];

describe('buildDigestKeyboard', () => {
  it.each([
    ['a small digest: a row each, no Mute all', 6, 6, 0],
    ['exactly the rows that fit', maxDigestIssueRows, maxDigestIssueRows, 0],
    ['more issues than rows: Mute all for the rest', 60, maxDigestIssueRows, 60 - maxDigestIssueRows],
  ])('%s', (_name, count, rows, rest) => {
    const keyboard = buildDigestKeyboard(items(count));
    expect(keyboard.withRows).toHaveLength(rows);
    expect(keyboard.rest).toHaveLength(rest);
    expect(buttons(keyboard).length).toBeLessThanOrEqual(maxKeyboardButtons);
    expect(keyboard.markup!.inline_keyboard).toHaveLength(rows + (rest > 0 ? 1 : 0));
    for (const button of buttons(keyboard)) {
      if ('callback_data' in button) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    }
    if (rest > 0) expect(decodeCallback((keyboard.markup!.inline_keyboard.at(-1)![0] as { callback_data: string }).callback_data)).toEqual({ action: 'mute-rest', hours: 1 });
  });

  it('a row is the number (a link), Investigate, Resolve, Mute 1h', () => {
    const [row] = buildDigestKeyboard([item(1)]).markup!.inline_keyboard;
    expect(row).toEqual([
      { text: 'BACKEND-1', url: 'https://glitchtip.example.com/acme/issues/7001' },
      { text: '🔎 Investigate', callback_data: 'v1|i|7001' },
      { text: '✅ Resolve', callback_data: 'v1|r|7001' },
      { text: '🔕 Mute 1h', callback_data: 'v1|m|7001|1' },
    ]);
  });

  it('keeps a dotless-host link out of the number button (Telegram would refuse the whole message)', () => {
    const [row] = buildDigestKeyboard([item(2, 'http://glitchtip:8000/acme/issues/7002')]).markup!.inline_keyboard;
    expect(row![0]).toEqual({ text: 'BACKEND-2', callback_data: 'v1|i|7002' });
  });

  it('gives uptime monitors no row (no issue actions) and fewer rows when the text lists fewer', () => {
    const keyboard = buildDigestKeyboard([{ issueId: 'uptime-5', label: 'x', issueUrl: 'https://a.example/' }, ...items(5)], 3);
    expect(keyboard.withRows).toEqual(['7000', '7001', '7002']);
    expect(keyboard.rest).toEqual(['7003', '7004']);
  });
});

describe('renderDigest says who acted', () => {
  const view = (state: 'resolved' | 'muted' | undefined): AlertView => ({
    kind: 'issue',
    issueId: '7100',
    title: 'Error 7100',
    level: 'error',
    tags: [],
    issueUrl: 'https://glitchtip.example.com/acme/issues/7100',
    ...(state ? { status: { state, by: '@ana' } } : {}),
  });
  it.each([
    [undefined, undefined],
    ['resolved', '✅ Resolved by @ana'],
    ['muted', '🔕 Muted by @ana'],
  ] as const)('%s', (state, expected) => {
    const text = renderDigest([view(state)]).plainText;
    if (expected) expect(text).toContain(expected);
    else expect(text).not.toMatch(/Resolved|Muted/);
  });
});
