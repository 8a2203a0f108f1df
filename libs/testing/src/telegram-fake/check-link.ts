/**
 * The URL check Telegram applies to inline-button URLs and to `<a href>` targets (tdlib's LinkManager::check_link):
 * http, https and tg only; an http(s) host must contain a dot, so `http://localhost:3000/...` and Docker service
 * names are refused, which fails the whole message.
 */
export type LinkCheck = { ok: true } | { ok: false; reason: 'Wrong HTTP URL' | 'Unsupported URL protocol' | 'Wrong tg URL' };

export function checkTelegramLink(url: string): LinkCheck {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'tg') {
    return /^tg:(\/\/)?[A-Za-z0-9_-]+\/?(\?[^\s]*)?$/i.test(url) ? { ok: true } : { ok: false, reason: 'Wrong tg URL' };
  }
  const hasAuthority = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  if (scheme !== undefined && hasAuthority && scheme !== 'http' && scheme !== 'https') return { ok: false, reason: 'Unsupported URL protocol' };
  if (scheme !== undefined && !hasAuthority && scheme !== 'http' && scheme !== 'https' && !/^[^:]+:\d/.test(url)) {
    return { ok: false, reason: 'Unsupported URL protocol' };
  }
  let parsed: URL;
  try {
    parsed = new URL(hasAuthority ? url : `http://${url}`);
  } catch {
    return { ok: false, reason: 'Wrong HTTP URL' };
  }
  const isIpv6 = parsed.hostname.startsWith('[');
  if (/\s/.test(url) || (!parsed.hostname.includes('.') && !isIpv6)) return { ok: false, reason: 'Wrong HTTP URL' };
  return { ok: true };
}
