import { scrubPii } from '@triage/pii';
import { escapeHtml, escapeHtmlAttribute } from './escape-html';
import { truncateText } from './truncate-text';

/**
 * Messages are built from fragments, never from HTML strings, so the HTML and the plain-text fallback say the same
 * thing and no value reaches the markup unescaped. Fragments never nest, so tags are balanced by construction.
 */
export type MessageFragment =
  | { kind: 'text'; text: string }
  | { kind: 'styled'; style: 'b' | 'i' | 'code' | 'pre'; text: string }
  | { kind: 'link'; href: string; text: string };

export const text = (value: string): MessageFragment => ({ kind: 'text', text: value });
export const bold = (value: string): MessageFragment => ({ kind: 'styled', style: 'b', text: value });
export const italic = (value: string): MessageFragment => ({ kind: 'styled', style: 'i', text: value });
export const code = (value: string): MessageFragment => ({ kind: 'styled', style: 'code', text: value });
export const preformatted = (value: string): MessageFragment => ({ kind: 'styled', style: 'pre', text: value });

/** A link when the URL is a usable http(s) URL (credentials stripped), else just its text. */
export function link(url: string | undefined, value: string): MessageFragment {
  const href = url === undefined ? null : safeHref(url);
  return href === null ? text(value) : { kind: 'link', href, text: value };
}

/**
 * Link targets are Triage's own configuration (GlitchTip base URL, runbook location), not event data, so they are not
 * PII-scrubbed: that would break links to a GlitchTip reached by IP address. Only user:password@ is removed.
 * Telegram refuses http(s) URLs whose host has no dot (`http://localhost:8000`, `http://glitchtip:8000`) in links and
 * buttons alike, failing the whole message, so those become plain text.
 */
export function safeHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!parsed.hostname.includes('.')) return null;
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 controls other than tab and newline, and DEL: Telegram rejects or mangles them.
const controlCharacters = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** An event value made safe to show: PII scrubbed first (so a cut cannot hide half an address), then cut to size. */
export function displayValue(value: string, maxUnits: number): string {
  const wellFormed = value.replace(loneSurrogate, '\uFFFD').replace(controlCharacters, ' ');
  return truncateText(scrubPii(wellFormed), maxUnits);
}

/** Like displayValue, for one-line slots: line breaks become spaces. */
export function displayLine(value: string, maxUnits: number): string {
  return displayValue(value.replace(/\s*[\r\n]+\s*/g, ' ').trim(), maxUnits);
}

export function fragmentsToHtml(fragments: MessageFragment[]): string {
  return fragments
    .map((fragment) => {
      switch (fragment.kind) {
        case 'text':
          return escapeHtml(fragment.text);
        case 'styled':
          return fragment.text === '' ? '' : `<${fragment.style}>${escapeHtml(fragment.text)}</${fragment.style}>`;
        case 'link':
          return fragment.text === '' ? '' : `<a href="${escapeHtmlAttribute(fragment.href)}">${escapeHtml(fragment.text)}</a>`;
      }
    })
    .join('');
}

/** The fallback sent without parse mode: link targets are written out after their text. */
export function fragmentsToPlainText(fragments: MessageFragment[]): string {
  return fragments.map((fragment) => (fragment.kind === 'link' ? `${fragment.text}: ${fragment.href}` : fragment.text)).join('');
}
