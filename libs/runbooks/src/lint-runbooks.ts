import { checkSync } from 'recheck';
import { parseRunbook } from './parse-runbook';
import { patternWitnesses } from './pattern-witness';
import { prepareRunbook, type PreparedPattern, type PreparedRunbook } from './prepare-runbooks';
import type { Runbook, RunbookProblem } from './runbook';

export interface RunbookFile {
  file: string;
  text: string;
}

export interface LintResult {
  runbooks: PreparedRunbook[];
  problems: RunbookProblem[];
}

export const requiredSections = ['Symptoms', 'Diagnosis', 'Fix', 'Prevention'] as const;

/** recheck's verdict on a pattern: undefined when safe, else why it can backtrack catastrophically. */
export function backtrackingRisk(source: string): string | undefined {
  const diagnostics = checkSync(source, 'iu', { timeout: 5_000 });
  if (diagnostics.status === 'safe') return undefined;
  if (diagnostics.status === 'vulnerable') {
    const attack = diagnostics.attack.pattern;
    return `can backtrack catastrophically (${diagnostics.complexity.summary}; e.g. on ${attack})`;
  }
  return `could not be proven safe from catastrophic backtracking (${diagnostics.error.kind})`;
}

function missingSections(runbook: Runbook): string[] {
  const headings = [...runbook.body.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)].map((found) => found[1]!.toLowerCase());
  return requiredSections.filter((section) => !headings.some((heading) => heading.startsWith(section.toLowerCase())));
}

function fieldsMeet(a: PreparedPattern, b: PreparedPattern): boolean {
  return a.field === 'any' || b.field === 'any' || a.field === b.field;
}

/** Two restriction lists can both hold for one issue when either is unrestricted or they share a value. */
function restrictionsMeet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!a || !b) return true;
  return a.some((value) => b.some((other) => other.toLowerCase() === value.toLowerCase()));
}

function canMatchSameIssue(a: Runbook, b: Runbook): boolean {
  return restrictionsMeet(a.components, b.components) && restrictionsMeet(a.levels, b.levels) && restrictionsMeet(a.environments, b.environments);
}

/** Texts that certainly match this runbook: its examples and a sample of each pattern. */
function witnessesOf(prepared: PreparedRunbook): Array<{ text: string; pattern: PreparedPattern | undefined }> {
  const generated = prepared.patterns.flatMap((pattern) =>
    patternWitnesses(pattern.source)
      .filter((text) => pattern.compiled.test(text))
      .map((text) => ({ text, pattern })),
  );
  return [...prepared.runbook.examples.map((text) => ({ text, pattern: undefined })), ...generated];
}

function overlapProblems(runbooks: readonly PreparedRunbook[]): RunbookProblem[] {
  const problems: RunbookProblem[] = [];
  for (const [index, first] of runbooks.entries()) {
    for (const second of runbooks.slice(index + 1)) {
      if (!canMatchSameIssue(first.runbook, second.runbook)) continue;
      const overlap = findOverlap(first, second) ?? findOverlap(second, first);
      if (!overlap) continue;
      const other = overlap.from === first ? second : first;
      const priority = first.runbook.priority;
      const samePriority = priority === second.runbook.priority;
      problems.push({
        file: overlap.from.runbook.file,
        line: overlap.line,
        severity: samePriority ? 'error' : 'warning',
        message: samePriority
          ? `patterns overlap with ${other.runbook.file}: "${overlap.text}" matches both, and both have priority ${priority}; narrow a pattern or give one a higher priority`
          : `patterns overlap with ${other.runbook.file}: "${overlap.text}" matches both (priority ${Math.max(priority, second.runbook.priority)} wins)`,
      });
    }
  }
  return problems;
}

/** A text that matches `from` and also one of `to`'s patterns, with the line of the `from` pattern it came from. */
function findOverlap(from: PreparedRunbook, to: PreparedRunbook): { from: PreparedRunbook; text: string; line: number } | undefined {
  for (const witness of witnessesOf(from)) {
    const hit = to.patterns.some((pattern) => (!witness.pattern || fieldsMeet(witness.pattern, pattern)) && pattern.compiled.test(witness.text));
    if (hit) return { from, text: witness.text, line: witness.pattern?.line ?? from.patterns[0]?.line ?? 1 };
  }
  return undefined;
}

function runbookProblems(prepared: PreparedRunbook): RunbookProblem[] {
  const { runbook } = prepared;
  const problems: RunbookProblem[] = [];
  const at = (line: number, severity: RunbookProblem['severity'], message: string) => problems.push({ file: runbook.file, line, severity, message });
  for (const pattern of prepared.patterns) {
    const risk = backtrackingRisk(pattern.source);
    if (risk) at(pattern.line, 'error', `pattern /${pattern.source}/ ${risk}`);
    if (pattern.compiled.test('')) at(pattern.line, 'error', `pattern /${pattern.source}/ matches the empty text, so it matches every issue`);
  }
  const seen = new Map<string, number>();
  for (const pattern of runbook.patterns) {
    const key = `${pattern.field}\u0000${pattern.source}`;
    if (seen.has(key)) at(pattern.line, 'warning', `pattern /${pattern.source}/ repeats line ${seen.get(key)}`);
    else seen.set(key, pattern.line);
  }
  for (const [index, example] of runbook.examples.entries()) {
    if (!prepared.patterns.some((pattern) => pattern.compiled.test(example))) at(runbook.exampleLines[index] ?? 1, 'error', `example "${example}" matches none of the runbook's patterns`);
  }
  for (const section of missingSections(runbook)) at(runbook.bodyLine, 'warning', `the body has no "## ${section}" section`);
  return problems;
}

/** Parses, compiles and checks every runbook, then looks for pairs that could claim the same issue. */
export function lintRunbooks(files: readonly RunbookFile[]): LintResult {
  const problems: RunbookProblem[] = [];
  const runbooks: PreparedRunbook[] = [];
  for (const { file, text } of files) {
    const parsed = parseRunbook(text, file);
    problems.push(...parsed.problems);
    if (!parsed.runbook) continue;
    const { prepared, problems: compileProblems } = prepareRunbook(parsed.runbook);
    problems.push(...compileProblems, ...runbookProblems(prepared));
    runbooks.push(prepared);
  }
  problems.push(...overlapProblems(runbooks));
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { runbooks, problems };
}

