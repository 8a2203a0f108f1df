import { describe, expect, it } from '@jest/globals';
import type { AlertView } from './alert-view';
import { renderAlert } from './render-alert';
import { checkTelegramHtml } from './telegram-html-checker';

// Webhook-only mode: a GlitchTip body says "(5 issues)" but lists 3; the alert of its first issue says "+2 more".

function view(moreIssues: AlertView['moreIssues']): AlertView {
  return {
    kind: 'issue',
    issueId: '4711',
    shortId: 'BACKEND-1A',
    title: 'TypeError: x is undefined',
    level: 'error',
    tags: [],
    issueUrl: 'https://glitchtip.example.com/acme/issues/4711',
    moreIssues,
  };
}

const listUrl = 'https://glitchtip.example.com/acme/issues';

describe('the "+N more" line', () => {
  const cases: Array<{ name: string; moreIssues: AlertView['moreIssues']; line?: string; html?: string }> = [
    { name: 'absent: no line', moreIssues: undefined },
    { name: 'count 0: no line', moreIssues: { count: 0, url: listUrl } },
    { name: 'a negative count: no line', moreIssues: { count: -3, url: listUrl } },
    { name: 'count 1: one more issue, linked', moreIssues: { count: 1, url: listUrl }, line: '+1 more issue', html: `<a href="${listUrl}">+1 more issue</a>` },
    { name: 'count 2: two more issues, linked', moreIssues: { count: 2, url: listUrl }, line: '+2 more issues', html: `<a href="${listUrl}">+2 more issues</a>` },
    { name: 'a dotless host (Telegram refuses the link): text', moreIssues: { count: 2, url: 'http://glitchtip:8000/acme/issues' }, line: '+2 more issues' },
    { name: 'not http(s): text', moreIssues: { count: 2, url: 'javascript:alert(1)' }, line: '+2 more issues' },
    {
      name: 'markup in the URL is escaped, credentials stripped',
      moreIssues: { count: 7, url: 'https://user:pw@glitchtip.example.com/acme/issues?q="<b>"&x=1' },
      line: '+7 more issues',
      html: '<a href="https://glitchtip.example.com/acme/issues?q=%22%3Cb%3E%22&amp;x=1">+7 more issues</a>',
    },
  ];

  it.each(cases)('$name', ({ moreIssues, line, html }) => {
    const rendered = renderAlert(view(moreIssues));
    const report = checkTelegramHtml(rendered.html);
    expect(report.errors).toEqual([]);
    const lines = report.visibleText.split('\n');
    if (line === undefined) {
      expect(report.visibleText).not.toMatch(/more issue/);
      return;
    }
    // Right under the issue link.
    expect(lines[lines.indexOf('Open issue BACKEND-1A') + 1]).toBe(line);
    if (html === undefined) {
      expect(rendered.html).not.toContain('more issue</a>');
      expect(rendered.html).toContain(line);
    } else {
      expect(rendered.html).toContain(html);
    }
  });

  it('stays when the message is too long for everything else', () => {
    const rendered = renderAlert({ ...view({ count: 2, url: listUrl }), stackTrace: 'x\n'.repeat(2_000), title: 'T'.repeat(3_000) }, { maxLength: 300 });
    expect(checkTelegramHtml(rendered.html).errors).toEqual([]);
    expect(rendered.length).toBeLessThanOrEqual(300);
    expect(rendered.html).toContain(`<a href="${listUrl}">+2 more issues</a>`);
  });
});
