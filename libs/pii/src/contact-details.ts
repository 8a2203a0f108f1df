import { piiMarkers } from './markers';

/** Also URL-encoded (`alice%40example.com`). The top-level domain must be letters, so `package@1.2.3` is not an address. */
const emailAddress =
  /(?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]+(?:@|%40)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

/** Not inside a word, path, line:column pair, dotted version or hyphenated id (UUID segments, ISO dates). */
const notAfterToken = '(?<![\\w.:/+-])';
const notBeforeToken = '(?![\\w]|[.-]\\d)';

const phoneFormats: RegExp[] = [
  // International: +1 (415) 555-2671, +44 20 7946 0958, +7 495 123-45-67, +14155552671, tel:+49…
  new RegExp(`(?<![\\w.+-])\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?)(?:[ .-]?\\d{2,5}){1,5}${notBeforeToken}`, 'g'),
  // North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1-415-555-2671
  // (area code and exchange start with 2-9, which keeps runs like "120 340 1024" out)
  new RegExp(`${notAfterToken}(?:1[ .-]?)?(?:\\([2-9]\\d{2}\\)[ .-]?|[2-9]\\d{2}[ .-])[2-9]\\d{2}[ .-]\\d{4}${notBeforeToken}`, 'g'),
  // French style pairs: 06 12 34 56 78, 01.23.45.67.89
  new RegExp(`${notAfterToken}0\\d(?:[ .-]\\d{2}){4}${notBeforeToken}`, 'g'),
  // Trunk-prefixed national numbers: 07911 123456, 030 12345678, 020 7946 0958, 8 (800) 555-35-35
  new RegExp(`${notAfterToken}(?:0\\d{1,4}|8[ -]?\\(\\d{3,4}\\))[ /-]?\\d{3,4}(?:[ -]?\\d{2,4}){1,2}${notBeforeToken}`, 'g'),
];

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}

/** International numbers need 8-15 digits (E.164); national ones 9-12 and at least one separator, so bare ids are kept. */
function isPhoneNumber(match: string): boolean {
  const digits = digitCount(match);
  if (match.startsWith('+')) return digits >= 8 && digits <= 15;
  return digits >= 9 && digits <= 12 && /\D/.test(match);
}

export function scrubEmailAddresses(text: string): string {
  return text.replace(emailAddress, piiMarkers.email);
}

export function scrubPhoneNumbers(text: string): string {
  let result = text;
  for (const format of phoneFormats) result = result.replace(format, (match) => (isPhoneNumber(match) ? piiMarkers.phone : match));
  return result;
}
