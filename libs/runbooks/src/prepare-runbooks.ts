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
