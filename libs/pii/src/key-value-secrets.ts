import { isPiiMarker, piiMarkers } from './markers';
import { classifySensitiveKey } from './sensitive-keys';

/**
 * A name and its separator. Names may be quoted ('…', "…", or \"…\" for JSON logged inside a string); `::` is not a
 * separator (Rust/C++ paths such as `token::Token`). The value is read only after the name proved sensitive, so
 * harmless names never cost a scan of what follows them.
 */
const keyAndSeparator = /(?<![A-Za-z0-9_.:\\-])(\\*["']?)([A-Za-z][A-Za-z0-9_.-]{0,63})(\\*["']?)([ \t]*(?:=>|=|:(?!:))[ \t]*)/g;

/**
 * The value at the separator's end: \"…\" (JSON escaped n times closes with the same n backslashes it opened with;
 * longer runs before a quote are escaped quotes inside; each run is taken whole, so the scan stays linear), "…", '…',
 * a bare run up to whitespace or URL/JSON punctuation, or an unterminated quote (a log line cut short).
 */
const valueAtSeparator =
  /(\\+)"(?:[^\\\r\n]|\\+(?![\\"])|(?!\1")\\+")*\1"|"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'|[^\s&,;"'<>(){}[\]=?]+|\\*["'][^\s"'&,;<>]+/y;

function quotedParts(value: string): { open: string; inner: string; close: string } {
  const quoted = /^(\\*["'])([\s\S]*?)(\\*["'])$/.exec(value);
  if (quoted && value.length >= 2) return { open: quoted[1] ?? '', inner: quoted[2] ?? '', close: quoted[3] ?? '' };
  return { open: '', inner: value, close: '' };
}

/**
 * `password: must be 8 characters` and `Invalid token: expired` are prose in error titles, not credentials: a bare
 * all-lowercase word after a colon is kept. After `=`, or in quotes, every value is redacted.
 */
function isProseAfterColon(separator: string, value: string): boolean {
  return separator.includes(':') && /^[a-z]+$/.test(value);
}

function replacementFor(kind: 'secret' | 'phone', value: string): string | null {
  const { open, inner, close } = quotedParts(value);
  if (inner.trim() === '' || isPiiMarker(inner)) return null;
  // A "phone" field holding no run of digits (e.g. `phone: unknown`) is left alone.
  if (kind === 'phone' && (inner.match(/\d/g)?.length ?? 0) < 6) return null;
  return `${open}${piiMarkers[kind]}${close}`;
}

/** Replaces the values of secret- and phone-named keys (`password=…`, `"apiKey": "…"`, `mobile: …`). */
export function scrubKeyValueSecrets(text: string): string {
  keyAndSeparator.lastIndex = 0;
  let output = '';
  let copiedUpTo = 0;
  for (let match = keyAndSeparator.exec(text); match !== null; match = keyAndSeparator.exec(text)) {
    const [, , name = '', , separator = ''] = match;
    const kind = classifySensitiveKey(name);
    if (kind === null) continue;
    const valueStart = keyAndSeparator.lastIndex;
    valueAtSeparator.lastIndex = valueStart;
    const value = valueAtSeparator.exec(text)?.[0];
    if (value === undefined || isProseAfterColon(separator, value)) continue;
    const replacement = replacementFor(kind, value);
    if (replacement === null) continue;
    output += text.slice(copiedUpTo, valueStart) + replacement;
    copiedUpTo = valueStart + value.length;
    keyAndSeparator.lastIndex = copiedUpTo;
  }
  return output + text.slice(copiedUpTo);
}
