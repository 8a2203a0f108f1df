import { scrubCardNumbers } from './card-numbers';
import { scrubEmailAddresses, scrubPhoneNumbers } from './contact-details';
import { scrubKeyValueSecrets } from './key-value-secrets';
import { piiMarkers } from './markers';
import { scrubIpAddresses } from './network-addresses';
import { scrubSecretPatterns } from './secret-patterns';
import { classifySensitiveKey } from './sensitive-keys';

/**
 * Order matters: credentials first (a URL's `user:pass@host` would otherwise look like an e-mail address, a bot token
 * like a phone number), then e-mail addresses, IP addresses before phone numbers (both are digit runs), cards before
 * phone numbers (4-4-4-4 groups fit the looser phone formats).
 */
const scrubbers: Array<(text: string) => string> = [
  scrubSecretPatterns,
  scrubKeyValueSecrets,
  scrubEmailAddresses,
  scrubIpAddresses,
  scrubCardNumbers,
  scrubPhoneNumbers,
];

/**
 * Replaces e-mail addresses, phone numbers, secrets, IP addresses and card numbers in free text with `[email]`,
 * `[phone]`, `[secret]`, `[ip]`, `[card]`. Idempotent. Loopback addresses (127.x, ::1) are kept: they identify no one.
 */
export function scrubPii(text: string): string {
  let result = text;
  for (const scrub of scrubbers) result = scrub(result);
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function scrubUnderKey(key: string, value: unknown, seen: WeakMap<object, unknown>): unknown {
  const kind = classifySensitiveKey(key);
  const blank = value === null || value === undefined || value === '' || typeof value === 'boolean';
  return kind !== null && !blank ? piiMarkers[kind] : scrubValue(value, seen);
}

function scrubValue(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return scrubPii(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    const scrubbed = scrubPii(text);
    return scrubbed === text ? value : scrubbed;
  }
  if (Array.isArray(value)) {
    const known = seen.get(value);
    if (known !== undefined) return known;
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(scrubValue(item, seen));
    return copy;
  }
  if (isPlainObject(value)) {
    const known = seen.get(value);
    if (known !== undefined) return known;
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) copy[scrubPii(key)] = scrubUnderKey(key, item, seen);
    return copy;
  }
  return value;
}

/**
 * A scrubbed copy of plain objects, arrays and strings (the input is not modified; cycles are preserved). The value of
 * a secret- or phone-named key (`password`, `apiKey`, `mobile`, …) becomes the marker whatever its type, so a leaf may
 * turn from a number or object into a marker string. Other objects (Date, Map, class instances) are returned as is.
 */
export function scrubPiiDeep<T>(value: T): T {
  return scrubValue(value, new WeakMap()) as T;
}
