/**
 * The little a GlitchTip alert body says beyond titles and links: the level (only as a colour), the issue count
 * (only in the message text) and, for uptime alerts, the direction (only in the message sentence).
 */

export type LevelHint = 'error' | 'info' | null;

const levelByColour = new Map<string, Exclude<LevelHint, null>>([
  ['#e52b50', 'error'], // error and fatal
  ['#4b60b4', 'info'],
]);

/** Generic and Google Chat bodies carry '#e52b50'; Discord the same colour as an integer (0xe52b50 = 15018832). */
export function levelHintFromColour(colour: unknown): LevelHint {
  if (typeof colour === 'number' && Number.isInteger(colour) && colour >= 0) {
    return levelByColour.get(`#${colour.toString(16).padStart(6, '0')}`) ?? null;
  }
  if (typeof colour === 'string') return levelByColour.get(colour.trim().toLowerCase()) ?? null;
  return null;
}

/** "GlitchTip Alert (5 issues)" -> 5; a text without the count -> null. */
export function issueCountFromText(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const match = /\((\d+)\s+issues?\)/i.exec(text);
  return match ? Number(match[1]) : null;
}

/**
 * GlitchTip says "The monitored site has gone down." or "The monitored site is back up.". A sentence that names
 * neither counts as down: a false alarm costs less than a missed outage.
 */
export function uptimeWentDown(message: string): boolean {
  const saysDown = /\bdown\b/i.test(message);
  const saysUp = /\b(up|recovered)\b/i.test(message);
  return saysDown || !saysUp;
}
