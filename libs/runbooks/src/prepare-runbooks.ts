import { createHash } from 'node:crypto';
import { compilePattern, type CompiledPattern } from './compile-pattern';
import { patternFields, type PatternField, type Runbook, type RunbookPattern, type RunbookProblem } from './runbook';

export interface PreparedPattern extends RunbookPattern {
  compiled: CompiledPattern;
}

/** A runbook ready to match: its patterns compiled (the ones RE2 refused are dropped and reported). */
export interface PreparedRunbook {
  runbook: Runbook;
  patterns: PreparedPattern[];
  /**
   * Per field, every pattern that looks at it as one alternation: one RE2 call per field says whether any matches
   * (each call copies the text into WebAssembly memory, so 40 calls per field cost 40 copies).
   */
  anyOf: Partial<Record<PatternField, CompiledPattern>>;
}

function alternation(patterns: readonly PreparedPattern[]): CompiledPattern | undefined {
  if (patterns.length === 0) return undefined;
  const combined = compilePattern(patterns.map((pattern) => `(?:${pattern.source})`).join('|'));
  // Each part compiled alone, so this only fails on size; the caller then tries the patterns one by one.
  return combined.ok ? combined.pattern : undefined;
}

export function prepareRunbook(runbook: Runbook): { prepared: PreparedRunbook; problems: RunbookProblem[] } {
  const problems: RunbookProblem[] = [];
  const patterns: PreparedPattern[] = [];
  for (const pattern of runbook.patterns) {
    const compiled = compilePattern(pattern.source);
    if (compiled.ok) patterns.push({ ...pattern, compiled: compiled.pattern });
    else problems.push({ file: runbook.file, line: pattern.line, severity: 'error', message: `pattern /${pattern.source}/ does not compile: ${compiled.reason}` });
  }
  const anyOf: PreparedRunbook['anyOf'] = {};
  for (const field of patternFields) {
    const combined = alternation(patterns.filter((pattern) => pattern.field === 'any' || pattern.field === field));
    if (combined) anyOf[field] = combined;
  }
  return { prepared: { runbook, patterns, anyOf }, problems };
}

/** Changes whenever what the runbooks match changes (not their prose): the sweep re-checks issues only then. */
export function matchFingerprint(runbooks: readonly PreparedRunbook[]): string {
  const facts = runbooks.map(({ runbook }) => [
    runbook.name,
    runbook.patterns.map((pattern) => [pattern.field, pattern.source]),
    runbook.components ?? null,
    runbook.levels ?? null,
    runbook.environments ?? null,
    runbook.priority,
    runbook.autoLink,
  ]);
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
}
