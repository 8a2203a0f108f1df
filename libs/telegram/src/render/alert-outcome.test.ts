import { describe, expect, it } from '@jest/globals';
import type { AlertView } from './alert-view';
import { renderAlert } from './render-alert';

const base: AlertView = { kind: 'issue', issueId: '42', title: 'KeyError: user_id', level: 'error', tags: [], issueUrl: 'https://glitchtip.example.com/acme/issues/42' };

// Outcome metrics in the alert message: who acknowledged the current episode, and the A/B control group's notice.
describe('alert outcome lines', () => {
  it.each<[string, Partial<AlertView>, string[], string[]]>([
    ['acknowledged, open', { outcome: { acknowledgedBy: '@ana', acknowledgedAt: '2026-12-03T14:02:00Z' } }, ['👀 Acknowledged by @ana at'], ['Control group']],
    ['control group', { outcome: { controlGroup: true } }, ['🧪 Control group: no automatic help'], ['Acknowledged']],
    ['acknowledged, then resolved: the resolve says it', { outcome: { acknowledgedBy: '@ana' }, status: { state: 'resolved', by: '@bo' } }, ['✅ Resolved by @bo'], ['Acknowledged']],
    ['no episode', {}, [], ['Acknowledged', 'Control group']],
  ])('%s', (_name, fields, present, absent) => {
    const { plainText } = renderAlert({ ...base, ...fields });
    for (const text of present) expect(plainText).toContain(text);
    for (const text of absent) expect(plainText).not.toContain(text);
  });

  it('escapes the name', () => {
    expect(renderAlert({ ...base, outcome: { acknowledgedBy: '@<b>x</b>' } }).html).toContain('@&lt;b&gt;x&lt;/b&gt;');
  });
});
