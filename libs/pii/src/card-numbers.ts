import { looksLikeCardNumber } from './luhn';
import { piiMarkers } from './markers';

/**
 * 13-19 digits written together, in groups of four (`4111 1111 1111 1111`, `4111-1111-…`) or the Amex 4-6-5 layout.
 * Not preceded by `-` or followed by `-digit`, so segments of UUIDs and negative chat ids are not candidates.
 */
const cardCandidate =
  /(?<![\w-])(?:\d{13,19}|\d{4}(?:([ -])\d{4}){2}(?:\1\d{4})?(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w]|-\d)/g;

export function scrubCardNumbers(text: string): string {
  return text.replace(cardCandidate, (match) => (looksLikeCardNumber(match.replace(/\D/g, '')) ? piiMarkers.card : match));
}
