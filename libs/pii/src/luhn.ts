/** True when the digit string passes the Luhn checksum every payment card number carries. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes of the card networks (Visa, Mastercard, Amex, Diners, Discover, JCB, UnionPay, Maestro, Mir).
 * Requiring one keeps 13-19 digit ids and epoch-millisecond timestamps (which start with 1) from being taken for cards
 * in the one case in ten where they happen to pass Luhn.
 */
const issuerPrefix = /^(?:4|5[0-9]|2[2-7]|3[4-9]|30[0-5]|6[0-9]|220[0-4])/;

export function looksLikeCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && issuerPrefix.test(digits) && passesLuhn(digits);
}
