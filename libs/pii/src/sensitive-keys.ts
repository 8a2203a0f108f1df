/**
 * Decides from a field or parameter name alone whether its value is a secret or a phone number, e.g. `password`,
 * `db_password`, `clientSecret`, `X-Api-Key`, `secret_key_base`, `mobilePhone`.
 *
 * The name is split into words (camelCase, `_`, `-`, `.`) and judged by its LAST word, so that `TokenExpiredError`
 * or `token_type` are not secrets while `refreshToken` is. A trailing qualifier (`_key`, `_id`, `_value`, `_hash`,
 * `_base`) moves the judgement to the word before it.
 */
export type SensitiveKeyKind = 'secret' | 'phone';

const secretWords = new Set([
  'password', 'passwd', 'passphrase', 'pass', 'secret', 'token', 'apikey', 'auth', 'authorization', 'cookie',
  'credential', 'credentials', 'session', 'sessionid', 'jwt', 'otp', 'privatekey', 'accesskey', 'signature', 'dsn',
]);
/** `api_key`, `access_key`: a generic last word that is a secret only after one of these. */
const secretKeyOwners = new Set(['api', 'access', 'private', 'secret', 'signing', 'encryption', 'master', 'license', 'client']);
const qualifierWords = new Set(['key', 'id', 'value', 'hash', 'base', 'digest', 'string']);
const phoneWords = new Set(['phone', 'tel', 'telephone', 'mobile', 'msisdn', 'fax', 'cell', 'cellphone', 'phonenumber']);

export function splitKeyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

export function classifySensitiveKey(key: string): SensitiveKeyKind | null {
  const words = splitKeyWords(key);
  let index = words.length - 1;
  const last = words[index];
  if (last === undefined) return null;
  if (last === 'number' || last === 'no') {
    const previous = words[index - 1];
    if (previous !== undefined && phoneWords.has(previous)) return 'phone';
  }
  if (phoneWords.has(singular(last))) return 'phone';
  if (last === 'key' && index > 0 && secretKeyOwners.has(words[index - 1] ?? '')) return 'secret';
  while (index > 0 && qualifierWords.has(words[index] ?? '')) index -= 1;
  const judged = words[index];
  if (judged === undefined) return null;
  if (secretWords.has(judged) || secretWords.has(singular(judged))) return 'secret';
  return null;
}
