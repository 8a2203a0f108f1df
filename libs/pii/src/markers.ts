/** What replaces each kind of personal or secret data. Every Triage output uses these, so they are greppable. */
export const piiMarkers = {
  email: '[email]',
  phone: '[phone]',
  secret: '[secret]',
  ip: '[ip]',
  card: '[card]',
} as const;

export type PiiKind = keyof typeof piiMarkers;

const markerValues = new Set<string>(Object.values(piiMarkers));

export function isPiiMarker(text: string): boolean {
  return markerValues.has(text);
}
