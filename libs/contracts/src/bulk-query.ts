/**
 * Checks a GlitchTip issue search before a bulk action sends it (CONTRACT §2.4). GlitchTip answers a query it cannot
 * use with an empty list or a 500 rather than an error, and a bulk PUT without filters touches every issue of the
 * organization, so anything that would silently mean "nothing" or "everything" is refused here with the reason.
 */
export const bulkQueryMaxLength = 200;

export const bulkActions = ['resolve', 'ignore'] as const;
export type BulkAction = (typeof bulkActions)[number];

export type BulkQueryCheck = { ok: true; query: string; addedUnresolved: boolean } | { ok: false; error: string };

const statuses = ['unresolved', 'resolved', 'ignored'];
const levels = ['sample', 'debug', 'info', 'warning', 'error', 'fatal'];
const unsupportedKeys = ['age', 'firstseen', 'lastseen', 'timesseen', 'assigned', 'bookmarks', 'times_seen', 'first_seen', 'last_seen'];
const tagKeyPattern = /^[A-Za-z0-9_.-]{1,64}$/;
const eventIdPattern = /^[0-9a-f]{32}$/;

/** Python's shlex.split in POSIX mode, which GlitchTip applies; undefined for an unclosed quote (GlitchTip: a 500). */
export function splitLikeShlex(text: string): string[] | undefined {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else current += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && index + 1 < text.length && '"\\$`'.includes(text[index + 1]!)) current += text[++index];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inToken = true;
    } else if (char === '\\' && index + 1 < text.length) {
      current += text[++index];
      inToken = true;
    } else if (/\s/.test(char)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (quote) return undefined;
  if (inToken) tokens.push(current);
  return tokens;
}

function checkFilter(key: string, value: string): string | undefined {
  const lower = key.toLowerCase();
  if (key.startsWith('!')) return `negation (${key}:…) is not supported by GlitchTip's search`;
  if (value === '') return `"${key}:" has no value`;
  if (lower === 'is' && !statuses.includes(value)) return `is:${value} is not a status GlitchTip knows (one of ${statuses.join(', ')}); it would match nothing`;
  if (lower === 'level' && !levels.includes(value)) return `level:${value} is not a level (one of ${levels.join(', ')})`;
  if (unsupportedKeys.includes(lower)) return `${key}: is not supported by GlitchTip's search (it would match nothing)`;
  if (!tagKeyPattern.test(key)) return `"${key}" is not a tag name GlitchTip can filter on`;
  if (/^[<>]=?/.test(value)) return `comparisons (${key}:${value}) are not supported by GlitchTip's search`;
  if (value.startsWith('[')) return `lists (${key}:[…]) are not supported by GlitchTip's search`;
  return undefined;
}

/**
 * `is:unresolved level:error environment:production KeyError` -> ok. Without an `is:` token, `is:unresolved` is put in
 * front: GlitchTip has no default status, and resolving or ignoring what is already closed is rarely meant.
 */
export function checkBulkQuery(raw: string): BulkQueryCheck {
  const query = raw.trim();
  if (query === '') return { ok: false, error: 'the query is empty: a bulk action without a filter would touch every issue of the organization' };
  if (query.length > bulkQueryMaxLength) return { ok: false, error: `the query is longer than ${bulkQueryMaxLength} characters` };
  if (/[\u0000-\u001f\u007f]/.test(query)) return { ok: false, error: 'the query contains control characters or line breaks' };
  const tokens = splitLikeShlex(query);
  if (!tokens) return { ok: false, error: 'the query has an unclosed quote' };
  if (tokens.length === 0) return { ok: false, error: 'the query is empty' };
  if (tokens.length === 1 && eventIdPattern.test(tokens[0]!.toLowerCase().replace(/-/g, ''))) {
    return { ok: false, error: 'an event id is a lookup, not a bulk query' };
  }
  let freeTextStarted = false;
  let hasStatus = false;
  for (const token of tokens) {
    const colon = token.indexOf(':');
    if (colon < 0) {
      freeTextStarted = true;
      continue;
    }
    if (freeTextStarted) return { ok: false, error: `"${token}" comes after free text, where GlitchTip reads it as text: put key:value filters first` };
    const problem = checkFilter(token.slice(0, colon), token.slice(colon + 1));
    if (problem) return { ok: false, error: problem };
    if (token.slice(0, colon).toLowerCase() === 'is') hasStatus = true;
  }
  return hasStatus ? { ok: true, query, addedUnresolved: false } : { ok: true, query: `is:unresolved ${query}`, addedUnresolved: true };
}

export const bulkUsage = 'Usage: /bulk resolve|ignore <GlitchTip query> (e.g. /bulk ignore level:warning environment:staging)';

/** `/bulk ignore level:warning environment:staging` -> { action, query }; a usage line or the query's problem otherwise. */
export function parseBulkCommand(args: readonly string[]): { action: BulkAction; query: string } | { usage: string } {
  const [action, ...rest] = args;
  if (action === undefined || !(bulkActions as readonly string[]).includes(action.toLowerCase()) || rest.length === 0) return { usage: bulkUsage };
  const checked = checkBulkQuery(rest.join(' '));
  if (!checked.ok) return { usage: `Query refused: ${checked.error}. ${bulkUsage}` };
  return { action: action.toLowerCase() as BulkAction, query: rest.join(' ') };
}
