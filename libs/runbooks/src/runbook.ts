/** The fields of an issue a pattern may look at. */
export const patternFields = ['title', 'culprit', 'message'] as const;
export type PatternField = (typeof patternFields)[number];

export const runbookLevels = ['sample', 'debug', 'info', 'warning', 'error', 'fatal'] as const;
export type RunbookLevel = (typeof runbookLevels)[number];

export interface RunbookPattern {
  /** The regular expression as written (matched case-insensitively, with a linear-time engine). */
  source: string;
  /** Where it looks: one field, or every field. */
  field: PatternField | 'any';
  /** 1-based line of the pattern in the file, for messages. */
  line: number;
}

/** A runbook as read from `<name>.md`: frontmatter facts plus the markdown body. */
export interface Runbook {
  /** File name without `.md`: the id used in URLs and links. */
  name: string;
  /** Path of the file (as given to the parser). */
  file: string;
  title: string;
  patterns: RunbookPattern[];
  /** Unset: any component (likewise levels, environments). */
  components?: string[];
  levels?: RunbookLevel[];
  environments?: string[];
  /** Higher wins over a more specific match of lower priority. Default 0. */
  priority: number;
  /** false: offered by /runbook but never linked automatically. */
  autoLink: boolean;
  /** Error texts this runbook is meant for: lint checks they match it, and uses them to find overlaps. */
  examples: string[];
  /** Line of each example, for messages. */
  exampleLines: number[];
  /** Markdown after the frontmatter. */
  body: string;
  /** Line of the file where the body starts. */
  bodyLine: number;
}

/** What is known of an issue when matching; missing values never satisfy a restriction. */
export interface IssueFacts {
  title: string;
  culprit?: string | null;
  message?: string | null;
  level?: string | null;
  component?: string | null;
  environment?: string | null;
}

export type Severity = 'error' | 'warning';

/** One lint or parse finding, printed as `file:line: severity: message`. */
export interface RunbookProblem {
  file: string;
  line: number;
  severity: Severity;
  message: string;
}

export function formatProblem(problem: RunbookProblem): string {
  return `${problem.file}:${problem.line}: ${problem.severity}: ${problem.message}`;
}

/** Runbook names are URL path segments and file names: nothing that could climb out of the directory. */
export const runbookNamePattern = /^[a-z0-9][a-z0-9-]{0,79}$/;
