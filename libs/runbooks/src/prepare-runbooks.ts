import { createHash } from 'node:crypto';
import { compilePattern, type CompiledPattern } from './compile-pattern';
import type { Runbook, RunbookPattern, RunbookProblem } from './runbook';

export interface PreparedPattern extends RunbookPattern {
  compiled: CompiledPattern;
}

/** A runbook ready to match: its patterns compiled (the ones RE2 refused are dropped and reported). */
export interface PreparedRunbook {
  runbook: Runbook;
  patterns: PreparedPattern[];
}

export function prepareRunbook(runbook: Runbook): { prepared: PreparedRunbook; problems: RunbookProblem[] } {
  const problems: RunbookProblem[] = [];
  const patterns: PreparedPattern[] = [];
  for (const pattern of runbook.patterns) {
    const compiled = compilePattern(pattern.source);
    if (compiled.ok) patterns.push({ ...pattern, compiled: compiled.pattern });
    else problems.push({ file: runbook.file, line: pattern.line, severity: 'error', message: `pattern /${pattern.source}/ does not compile: ${compiled.reason}` });
  }
  return { prepared: { runbook, patterns }, problems };
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
