/** Thrown by the format readers; parseGlitchTipWebhook turns it into `{ ok: false, reason }`. */
export class WebhookRejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WebhookRejection';
  }
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeJsonType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A non-empty list of objects, or a rejection naming the key and what was wrong. */
export function requireObjectList(owner: JsonObject, key: string, where: string): JsonObject[] {
  const value = owner[key];
  const path = where ? `${where}.${key}` : key;
  if (!Array.isArray(value)) throw new WebhookRejection(`${path} must be an array, got ${describeJsonType(value)}`);
  if (value.length === 0) throw new WebhookRejection(`${path} is empty: the alert names no issue or monitor`);
  return value.map((item, index) => {
    if (!isJsonObject(item)) throw new WebhookRejection(`${path}[${index}] must be an object, got ${describeJsonType(item)}`);
    return item;
  });
}

/** Lists GlitchTip may send as null or leave out (fields of an uptime alert): anything but an array reads as empty. */
export function lenientObjectList(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** A string, a number or boolean rendered as text, else null; blank text is null too. */
export function textOrNull(value: unknown): string | null {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return null;
  return value.trim() === '' ? null : value;
}
