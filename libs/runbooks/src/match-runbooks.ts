import { patternFields, type IssueFacts, type PatternField, type Runbook } from './runbook';
import type { PreparedPattern, PreparedRunbook } from './prepare-runbooks';
import { minLiteralLength } from './pattern-witness';

export interface RunbookMatch {
  runbook: Runbook;
  /** Human reasons, first the pattern that matched, then each restriction it satisfied. */
  why: string[];
  specificity: number;
  pattern: PreparedPattern;
  field: PatternField;
}

export interface RunbookCandidate {
  runbook: Runbook;
  /** Why it came close, and what kept it from matching. */
  reason: string;
  closeness: number;
}

export interface MatchOutcome {
  /** Every matching runbook, best first (priority, then specificity, then name). */
  matches: RunbookMatch[];
  /** When nothing matched: the runbooks that came closest, closest first (at most 3). */
  candidates: RunbookCandidate[];
}

const excerptRadius = 30;
/** A satisfied restriction (component, level, environment) counts like this many literal characters. */
const restrictionWeight = 5;

/** Patterns look at the head of each field: error texts say what failed early, and a 1 MB message must not cost 1 MB per pattern. */
export const matchedTextLimit = 8_192;

function fieldText(facts: IssueFacts, field: PatternField): string {
  return (facts[field] ?? '').toString().slice(0, matchedTextLimit);
}

function excerpt(text: string, index: number, length: number): string {
  const start = Math.max(0, index - excerptRadius);
  const end = Math.min(text.length, index + length + excerptRadius);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`.replace(/\s+/g, ' ');
}

export { minLiteralLength as literalLength } from './pattern-witness';

/** The first field (title, culprit, message) any pattern matches, and the first pattern that matches it. */
function firstPatternHit(prepared: PreparedRunbook, facts: IssueFacts): { pattern: PreparedPattern; field: PatternField; match: string; index: number } | undefined {
  for (const field of patternFields) {
    const text = fieldText(facts, field);
    if (text === '') continue;
    const combined = prepared.anyOf[field];
    if (combined && !combined.test(text)) continue;
    for (const pattern of prepared.patterns) {
      if (pattern.field !== 'any' && pattern.field !== field) continue;
      const found = pattern.compiled.exec(text);
      if (found) return { pattern, field, ...found };
    }
  }
  return undefined;
}

type RestrictionCheck = { ok: true; reasons: string[] } | { ok: false; failure: string };

const restrictions = [
  { key: 'components', fact: 'component' },
  { key: 'levels', fact: 'level' },
  { key: 'environments', fact: 'environment' },
] as const;

function checkRestrictions(runbook: Runbook, facts: IssueFacts): RestrictionCheck {
  const reasons: string[] = [];
  for (const { key, fact } of restrictions) {
    const allowed = runbook[key] as readonly string[] | undefined;
    if (!allowed) continue;
    const value = facts[fact];
    if (!value) return { ok: false, failure: `its ${fact} is unknown (the runbook is for ${allowed.join(', ')})` };
    if (!allowed.some((entry) => entry.toLowerCase() === value.toLowerCase())) {
      return { ok: false, failure: `${fact} "${value}" is not one of ${allowed.join(', ')}` };
    }
    reasons.push(`${fact} "${value}" is one of ${allowed.join(', ')}`);
  }
  return { ok: true, reasons };
}

const wordPattern = /[a-z][a-z0-9_]{2,}/g;
const stopWords = new Set(['the', 'and', 'for', 'with', 'not', 'error', 'failed', 'from', 'when', 'that', 'this', 'was', 'are', 'cannot', 'could']);

function words(text: string): Set<string> {
  // Exception class names (TypeError, KnexTimeoutError) say little about the cause.
  return new Set([...text.toLowerCase().matchAll(wordPattern)].map((found) => found[0]).filter((word) => !stopWords.has(word) && !word.endsWith('error')));
}

function runbookWords(runbook: Runbook): Set<string> {
  const patternText = runbook.patterns.map((pattern) => pattern.source.replace(/\\[a-z]/gi, ' ')).join(' ');
  return words([runbook.title, patternText, ...runbook.examples].join(' '));
}

function candidateFor(prepared: PreparedRunbook, facts: IssueFacts, issueWords: Set<string>): RunbookCandidate | undefined {
  const { runbook } = prepared;
  const hit = firstPatternHit(prepared, facts);
  if (hit) {
    const check = checkRestrictions(runbook, facts);
    // Only reached for runbooks whose restrictions failed: a full match would not be a candidate.
    const failure = check.ok ? 'it matched' : check.failure;
    return { runbook, reason: `${hit.field} matches /${hit.pattern.source}/ but ${failure}`, closeness: 2 };
  }
  const shared = [...runbookWords(runbook)].filter((word) => issueWords.has(word));
  // One shared word ("connect", "timeout") is chance; two begin to say the same thing.
  if (shared.length < 2) return undefined;
  return { runbook, reason: `shares the words ${shared.slice(0, 5).map((word) => `"${word}"`).join(', ')} but no pattern matches`, closeness: shared.length / (shared.length + 3) };
}

/** Every runbook that matches the issue, best first; when none does, the closest ones and why they missed. */
export function matchRunbooks(runbooks: readonly PreparedRunbook[], facts: IssueFacts): MatchOutcome {
  const matches: RunbookMatch[] = [];
  for (const prepared of runbooks) {
    const hit = firstPatternHit(prepared, facts);
    if (!hit) continue;
    const check = checkRestrictions(prepared.runbook, facts);
    if (!check.ok) continue;
    const specificity = Math.min(minLiteralLength(hit.pattern.source), hit.match.length) + (hit.pattern.field === 'any' ? 0 : 2) + check.reasons.length * restrictionWeight;
    matches.push({
      runbook: prepared.runbook,
      pattern: hit.pattern,
      field: hit.field,
      specificity,
      why: [`${hit.field} matches /${hit.pattern.source}/: "${excerpt(fieldText(facts, hit.field), hit.index, hit.match.length)}"`, ...check.reasons],
    });
  }
  matches.sort((a, b) => b.runbook.priority - a.runbook.priority || b.specificity - a.specificity || a.runbook.name.localeCompare(b.runbook.name));
  if (matches.length > 0) return { matches, candidates: [] };
  const issueWords = words([facts.title, facts.culprit ?? '', facts.message ?? ''].join(' '));
  const candidates = runbooks
    .map((prepared) => candidateFor(prepared, facts, issueWords))
    .filter((candidate): candidate is RunbookCandidate => candidate !== undefined)
    .sort((a, b) => b.closeness - a.closeness || a.runbook.name.localeCompare(b.runbook.name))
    .slice(0, 3);
  return { matches, candidates };
}

/** The runbook to link automatically: the best match whose frontmatter allows it. */
export function bestAutoLink(outcome: MatchOutcome): RunbookMatch | undefined {
  return outcome.matches.find((match) => match.runbook.autoLink);
}
