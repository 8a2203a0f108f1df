import { describe, it, expect } from '@jest/globals';
import { decodeBulkCallback } from '@triage/contracts';
import { renderApplyOutcome, renderBulkPreview } from './render-bulk';
import type { BulkOperation } from './bulk-state';

const operation: BulkOperation = {
  id: '20261203-a1b2c3',
  action: 'resolve',
  query: 'is:unresolved level:error <script>',
  project: null,
  requestedBy: 'telegram:7',
  via: 'telegram',
  state: 'previewed',
  issueCount: 12,
  chatId: '-100',
  threadId: null,
  previewMessageId: null,
  backupFile: null,
  dryRun: false,
  error: null,
  createdAt: new Date('2026-12-03T10:00:00Z'),
  expiresAt: new Date('2026-12-03T10:10:00Z'),
};

describe('bulk messages', () => {
  it('previews the count and ten titles, escaped and PII-scrubbed, with Confirm and Cancel', () => {
    const targets = Array.from({ length: 12 }, (_, index) => ({ issueId: String(100 + index), title: `KeyError for ana.lopez@example.com <b>${index}</b>`, status: 'unresolved' as const }));
    const { html, keyboard } = renderBulkPreview(operation, targets);
    expect(html).toContain('<b>Resolve 12 issues?</b>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('ana.lopez@example.com');
    expect(html).toContain('&lt;b&gt;9&lt;/b&gt;');
    expect(html).not.toContain('#110 ');
    expect(html).toContain('… and 2 more');
    const buttons = keyboard.inline_keyboard.flat() as Array<{ text: string; callback_data: string }>;
    expect(buttons.map((button) => decodeBulkCallback(button.callback_data))).toEqual([
      { decision: 'confirm', operationId: operation.id },
      { decision: 'cancel', operationId: operation.id },
    ]);
  });

  it.each([
    [{ kind: 'not-found' as const }, 'no longer exists'],
    [{ kind: 'expired' as const, operation }, 'expired'],
    [{ kind: 'not-requester' as const, operation }, 'Only the person who asked'],
    [{ kind: 'applied' as const, operation, written: 12, skipped: 0, dryRun: false, backupFile: '/x' }, '✅ Resolved 12 issues. Undo: <code>triage bulk restore 20261203-a1b2c3</code>'],
    [{ kind: 'failed' as const, operation, written: 100, error: 'HTTP 500 <html>', backupFile: '/x' }, 'Stopped after 100 issue(s): HTTP 500 &lt;html&gt;'],
  ])('answers %#', (outcome, expected) => {
    expect(renderApplyOutcome(outcome)).toContain(expected);
  });
});
