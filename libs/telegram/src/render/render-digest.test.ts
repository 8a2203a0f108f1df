import { describe, expect, it } from '@jest/globals';
import type { AlertView } from './alert-view';
import { renderDigest } from './render-digest';
import { renderMuteEnded } from './render-mute-ended';
import { checkTelegramHtml } from './telegram-html-checker';

function issue(index: number, overrides: Partial<AlertView> = {}): AlertView {
  return {
    kind: 'issue',
    issueId: String(1000 + index),
    title: `Error number ${index}`,
    level: 'error',
    environment: 'production',
    count: 1200 + index,
    tags: [],
    issueUrl: `https://glitchtip.example.com/acme/issues/${1000 + index}`,
    ...overrides,
  };
}

function expectValid(rendered: { html: string; plainText: string; length: number }, maxLength = 4096): string {
  const report = checkTelegramHtml(rendered.html);
  expect(report.errors).toEqual([]);
  expect(rendered.length).toBe(report.visibleText.length);
  expect(rendered.length).toBeLessThanOrEqual(maxLength);
  expect(rendered.plainText.length).toBeLessThanOrEqual(maxLength);
  return report.visibleText;
}

describe('renderDigest', () => {
  it('lists every issue with its link when they fit', () => {
    const items = Array.from({ length: 12 }, (_, index) => issue(index));
    const rendered = renderDigest(items, { chatBudgetNote: 'This chat gets at most 20 messages a minute.' });
    const visible = expectValid(rendered);
    expect(visible.split('\n')[0]).toBe('12 more issues:');
    expect(rendered.listedCount).toBe(12);
    expect(rendered.droppedBlocks).toEqual([]);
    expect(rendered.html).toContain('• 🔴 <a href="https://glitchtip.example.com/acme/issues/1003">Error number 3</a> (1,203×, production)');
    expect(visible.trimEnd().endsWith('This chat gets at most 20 messages a minute.')).toBe(true);
    expect(visible).not.toContain('…and');
  });

  it.each([
    [300, 4096],
    [300, 1000],
    [5, 200],
  ])('with %d long-titled issues and maxLength %d, lists what fits and counts the rest', (count, maxLength) => {
    const items = Array.from({ length: count }, (_, index) => issue(index, { title: `<${index}> & ${'long title '.repeat(40)}` }));
    const rendered = renderDigest(items, { maxLength });
    const visible = expectValid(rendered, maxLength);
    expect(rendered.listedCount).toBeGreaterThan(0);
    expect(rendered.listedCount).toBeLessThan(count);
    expect(visible).toContain(`…and ${count - rendered.listedCount} more`);
    expect(visible.match(/^• /gm)).toHaveLength(rendered.listedCount);
    expect(rendered.droppedBlocks).toEqual(['items']);
  });

  it('says "1 more issue" and scrubs PII from titles', () => {
    const visible = expectValid(renderDigest([issue(1, { title: 'Login failed for alice@example.com from 203.0.113.9' })]));
    expect(visible).toContain('1 more issue:');
    expect(visible).toContain('Login failed for [email] from [ip]');
  });
});

describe('renderMuteEnded', () => {
  it('announces the end of the mute with the headline, counts and link only', () => {
    const rendered = renderMuteEnded(
      issue(7, { shortId: 'API-7', stackTrace: 'at x (y.ts:1:1)', tags: [{ key: 'a', value: 'b' }], status: { state: 'muted', by: '@a' } }),
    );
    const visible = expectValid(rendered);
    expect(visible.split('\n').slice(0, 2)).toEqual(['🔔 Mute ended', '🔴 Error number 7']);
    expect(visible).toContain('Events: 1,207');
    expect(rendered.html).toContain('<a href="https://glitchtip.example.com/acme/issues/1007">Open issue API-7</a>');
    expect(visible).not.toContain('at x (y.ts:1:1)');
    expect(visible).not.toContain('Muted');
  });

  it('shortens a huge title to fit', () => {
    expectValid(renderMuteEnded(issue(1, { title: '🔥'.repeat(5000) }), { maxLength: 300 }), 300);
  });
});
