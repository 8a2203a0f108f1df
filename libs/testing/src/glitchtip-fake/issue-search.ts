// GlitchTip's issue list filters (CONTRACT §2.4), reproduced for the fake.

export const fakeIssueStatuses = ['unresolved', 'resolved', 'ignored'] as const;
export type FakeIssueStatus = (typeof fakeIssueStatuses)[number];
export const fakeIssueLevels = ['sample', 'debug', 'info', 'warning', 'error', 'fatal'] as const;
export type FakeIssueLevel = (typeof fakeIssueLevels)[number];

export interface SearchableIssue {
  id: number;
  status: FakeIssueStatus;
  level: FakeIssueLevel;
  title: string;
  culprit: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  projectId: number;
  /** tag key -> value -> events with that value */
  tags: Record<string, Record<string, number>>;
}

export interface ParsedIssueQuery {
  /** null: an `is:` value GlitchTip does not know, which matches nothing (status = NULL). */
  status?: FakeIssueStatus | null;
  level?: string;
  hasTags: string[];
  tagEquals: Array<{ key: string; value: string }>;
  freeText?: string;
}

/** Python's shlex.split (POSIX mode): quotes group words and are removed; an unclosed quote throws. */
export function shlexSplit(text: string): string[] {
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
      else if (char === '\\' && index + 1 < text.length && '"\\$`\n'.includes(text[index + 1]!)) current += text[++index];
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
  if (quote) throw new Error('No closing quotation');
  if (inToken) tokens.push(current);
  return tokens;
}

/** Structured `key:value` tokens left to right; the first token without ':' starts free text to the end. */
export function parseIssueQuery(query: string): ParsedIssueQuery {
  const parsed: ParsedIssueQuery = { hasTags: [], tagEquals: [] };
  const tokens = shlexSplit(query);
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    const colon = token.indexOf(':');
    if (colon < 0) {
      parsed.freeText = tokens.slice(index).join(' ');
      break;
    }
    const key = token.slice(0, colon);
    const value = token.slice(colon + 1);
    if (key === 'is') parsed.status = (fakeIssueStatuses as readonly string[]).includes(value) ? (value as FakeIssueStatus) : null;
    else if (key === 'level') parsed.level = value;
    else if (key === 'has') parsed.hasTags.push(value);
    else parsed.tagEquals.push({ key, value });
  }
  return parsed;
}

export function matchesIssueQuery(issue: SearchableIssue, query: ParsedIssueQuery): boolean {
  if (query.status === null) return false;
  if (query.status !== undefined && issue.status !== query.status) return false;
  if (query.level !== undefined && issue.level !== query.level) return false;
  for (const key of query.hasTags) if (Object.keys(issue.tags[key] ?? {}).length === 0) return false;
  for (const { key, value } of query.tagEquals) if (!(issue.tags[key]?.[value] ?? 0)) return false;
  if (query.freeText !== undefined && !matchesFreeText(issue, query.freeText)) return false;
  return true;
}

/** Stands in for Postgres full-text search: every word must occur in the title or culprit; `*` adds a title ILIKE. */
function matchesFreeText(issue: SearchableIssue, text: string): boolean {
  const haystack = `${issue.title} ${issue.culprit}`.toLowerCase();
  const words = text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
  const fullText = words.length > 0 && words.every((word) => haystack.includes(word));
  if (text.includes('*')) return fullText || issue.title.toLowerCase().includes(text.replace(/\*/g, '').toLowerCase());
  return fullText;
}

/** `now`, `now-15m`, `now-2h`, `now-1d`, or an ISO date/datetime; undefined when GlitchTip would answer 422. */
export function parseStartEnd(value: string, now: Date): Date | undefined {
  if (value === 'now') return new Date(now);
  const relative = /^now-(\d+)([mhd])$/.exec(value);
  if (relative) {
    const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(relative[1]) * unitMs);
  }
  return parseIsoDate(value);
}

export function parseIsoDate(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/.test(value)) return undefined;
  const date = new Date(/[T ]/.test(value) && !/(Z|[+-]\d{2}(:?\d{2})?)$/.test(value) ? `${value}Z` : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export const issueSortValues = ['last_seen', 'first_seen', 'count', 'priority'] as const;
export type FakeIssueSort = (typeof issueSortValues)[number] | `-${(typeof issueSortValues)[number]}`;

export function isIssueSort(value: string): value is FakeIssueSort {
  return (issueSortValues as readonly string[]).includes(value.replace(/^-/, ''));
}

/** The first ordering field's value, which GlitchTip also puts into the cursor's `p=`. */
export function sortValue(issue: SearchableIssue, sort: FakeIssueSort): number {
  const field = sort.replace(/^-/, '');
  if (field === 'first_seen') return issue.firstSeen.getTime();
  if (field === 'count') return issue.count;
  if (field === 'priority') return Math.log10(Math.max(1, issue.count)) + issue.lastSeen.getTime() / 1000 / 300_000;
  return issue.lastSeen.getTime();
}

export function sortIssues<T extends SearchableIssue>(issues: T[], sort: FakeIssueSort): T[] {
  const direction = sort.startsWith('-') ? -1 : 1;
  return [...issues].sort((a, b) => direction * (sortValue(a, sort) - sortValue(b, sort)) || direction * (a.id - b.id));
}
