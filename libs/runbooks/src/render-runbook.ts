import { Marked, type Tokens } from 'marked';
import type { Runbook } from './runbook';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** http(s), mailto, in-page and relative links; everything else (javascript:, data:, vbscript:) becomes inert. */
export function safeLinkTarget(href: string): string {
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed) || /^[#/?]/.test(trimmed)) return trimmed;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || /^\/\//.test(trimmed)) return '#';
  return trimmed;
}

/** Markdown to HTML with raw HTML shown as text, never interpreted: runbooks are repo content, still not trusted markup. */
const markdown = new Marked({
  gfm: true,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
  },
  walkTokens(token) {
    if (token.type === 'link' || token.type === 'image') {
      const linkToken = token as Tokens.Link | Tokens.Image;
      linkToken.href = safeLinkTarget(linkToken.href);
    }
  },
});

export function renderMarkdown(body: string): string {
  return markdown.parse(body, { async: false });
}

const styles = `body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
code,pre{font-family:ui-monospace,monospace;background:#f6f8fa;border-radius:4px}code{padding:.1em .3em}pre{padding:1em;overflow:auto}
.meta{color:#57606a;font-size:.9em;border-bottom:1px solid #d0d7de;padding-bottom:.5em}`;

/** A whole page for the ingress: the body plus a line saying which errors the runbook is for. */
export function renderRunbookPage(runbook: Runbook): string {
  const scope = [
    runbook.components ? `components: ${runbook.components.join(', ')}` : undefined,
    runbook.levels ? `levels: ${runbook.levels.join(', ')}` : undefined,
    runbook.environments ? `environments: ${runbook.environments.join(', ')}` : undefined,
  ].filter(Boolean);
  const patterns = runbook.patterns.map((pattern) => `<code>${escapeHtml(pattern.field === 'any' ? '' : `${pattern.field}: `)}/${escapeHtml(pattern.source)}/</code>`).join(' ');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(runbook.title)} · runbook</title>`,
    `<style>${styles}</style></head><body>`,
    `<p class="meta">Runbook <code>${escapeHtml(runbook.name)}</code> · for errors matching ${patterns}${scope.length > 0 ? ` · ${escapeHtml(scope.join(' · '))}` : ''}</p>`,
    renderMarkdown(runbook.body),
    '</body></html>',
  ].join('\n');
}
