import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { frontmatterSchema } from './frontmatter-schema';
import { patternFields, runbookNamePattern, type PatternField, type Runbook, type RunbookPattern, type RunbookProblem } from './runbook';

export interface ParseResult {
  runbook: Runbook | undefined;
  problems: RunbookProblem[];
}

const fence = /^---[ \t]*$/;

/** Splits `---\n<yaml>\n---\n<body>`; the frontmatter's first line is line 2 of the file. */
function splitFrontmatter(text: string): { yaml: string; body: string; bodyLine: number } | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!fence.test(lines[0] ?? '')) return undefined;
  const end = lines.findIndex((line, index) => index > 0 && fence.test(line));
  if (end === -1) return undefined;
  return { yaml: lines.slice(1, end).join('\n'), body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}

/** The yaml node at a zod issue's path, to point at its line. */
function nodeAt(root: unknown, keys: ReadonlyArray<PropertyKey>): Node | undefined {
  let node = root as Node | undefined;
  let best = node;
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      node = (pair?.value ?? pair?.key) as Node | undefined;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key] as Node | undefined;
    } else {
      break;
    }
    if (node?.range) best = node;
  }
  return best;
}

function firstHeading(body: string): string | undefined {
  return /^#[ \t]+(.+?)[ \t#]*$/m.exec(body)?.[1]?.trim();
}

function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
}

/** Reads one runbook file's text. Every problem carries the file's line; nothing throws. */
export function parseRunbook(text: string, file: string): ParseResult {
  const problems: RunbookProblem[] = [];
  const problem = (line: number, message: string) => problems.push({ file, line, severity: 'error', message });
  const name = path.basename(file, '.md');
  if (!runbookNamePattern.test(name)) problem(1, `file name "${name}.md" must be lower-case letters, digits and dashes (it becomes the runbook's URL)`);

  const parts = splitFrontmatter(text);
  if (!parts) {
    problem(1, 'no frontmatter: a runbook starts with a line "---", YAML (patterns: ...), and another "---"');
    return { runbook: undefined, problems };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(parts.yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line + 1);
  if (document.errors.length > 0) {
    for (const error of document.errors) problem(lineOf(error.pos[0]), `invalid YAML: ${error.message.split('\n')[0]}`);
    return { runbook: undefined, problems };
  }
  const parsed = frontmatterSchema.safeParse(document.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problem(lineOf(nodeAt(document.contents, issue.path)?.range?.[0]), `${issuePath(issue)}${issue.message}`);
    return { runbook: undefined, problems };
  }
  const front = parsed.data;
  const title = front.title ?? firstHeading(parts.body);
  if (!title) problem(1, 'no title: add "title:" to the frontmatter or a "# Heading" to the body');

  const patterns: RunbookPattern[] = front.patterns.map((entry, index) => {
    const line = lineOf(nodeAt(document.contents, ['patterns', index])?.range?.[0]);
    if (typeof entry === 'string') return { source: entry, field: 'any', line };
    const field = patternFields.find((candidate) => entry[candidate] !== undefined) as PatternField;
    return { source: entry[field]!, field, line };
  });
  if (problems.length > 0 || !title) return { runbook: undefined, problems };
  return {
    runbook: {
      name,
      file,
      title,
      patterns,
      components: front.components,
      levels: front.levels,
      environments: front.environments,
      priority: front.priority,
      autoLink: front.auto_link,
      examples: front.examples,
      exampleLines: front.examples.map((_example, index) => lineOf(nodeAt(document.contents, ['examples', index])?.range?.[0])),
      body: parts.body,
      bodyLine: parts.bodyLine,
    },
    problems,
  };
}
