import { isMap, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';

/**
 * ROUTES_FILE: which chat (and forum topic) gets which alerts. YAML or JSON (JSON is read as YAML 1.2), either a list
 * of rules or `{ routes: [...] }`, with the keys of Telegram's API and Alertmanager's telegram_configs:
 *
 *   routes:
 *     - match: { project: backend, environment: production, level: error+ }
 *       chat_id: -1001234567890
 *       message_thread_id: 42
 *     - match: { component: [payments, billing] }
 *       chat_id: "@payments_alerts"
 *
 * The first releases wrote `chatId` / `threadId`; those still work and each use is reported as a deprecation warning.
 * It lives in the shared config lib (pure, no I/O) so that `triage start` and every role can check the file before
 * anything starts; matching alerts against the rules is the Telegram lib's.
 */

export const routeLevels = ['sample', 'debug', 'info', 'warning', 'error', 'fatal'] as const;
export type RouteLevel = (typeof routeLevels)[number];

export interface LevelCondition {
  level: RouteLevel;
  /** `error+`: this level or a more severe one. */
  orHigher: boolean;
}

export interface RouteMatch {
  project?: string[];
  environment?: string[];
  component?: string[];
  level?: LevelCondition[];
}

export interface RouteRule {
  match: RouteMatch;
  chatId: string;
  threadId?: number;
}

export interface RoutesFile {
  rules: RouteRule[];
  /** `file:line:column: path: ...` for each deprecated key. */
  warnings: string[];
}

export class RoutesFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid routes file:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'RoutesFileError';
  }
}

/** Old key -> the key INTERFACE.md names. */
const deprecatedKeys = { chatId: 'chat_id', threadId: 'message_thread_id' } as const;

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(item).min(1, 'must list at least one value'));

const name = z.string().trim().min(1, 'must not be empty');

const levelCondition = z
  .string()
  .trim()
  .regex(new RegExp(`^(${routeLevels.join('|')})\\+?$`), `must be one of ${routeLevels.join(', ')}, optionally followed by + (e.g. error+)`)
  .transform((value): LevelCondition => ({ level: value.replace(/\+$/, '') as RouteLevel, orHigher: value.endsWith('+') }));

const chatId = z
  .union([z.number(), z.string()])
  .transform((value) => String(value).trim())
  .refine((value) => /^(-?\d+|@[A-Za-z0-9_]{5,})$/.test(value), {
    message: 'must be a numeric chat id (e.g. -1001234567890) or @channelusername',
  });

const threadId = z.number().int('must be an integer').positive('must be a positive forum topic id');

const ruleSchema = z
  .strictObject({
    match: z
      .strictObject({
        project: oneOrMany(name).optional(),
        environment: oneOrMany(name).optional(),
        component: oneOrMany(name).optional(),
        level: oneOrMany(levelCondition).optional(),
      })
      .optional()
      .transform((match) => match ?? {}),
    chat_id: chatId.optional(),
    message_thread_id: threadId.optional(),
    chatId: chatId.optional(),
    threadId: threadId.optional(),
  })
  .superRefine((rule, context) => {
    for (const [old, current] of Object.entries(deprecatedKeys)) {
      if (rule[old as keyof typeof deprecatedKeys] !== undefined && rule[current] !== undefined) {
        context.addIssue({ code: 'custom', path: [old], message: `give either ${current} or the deprecated ${old}, not both` });
      }
    }
    if (rule.chat_id === undefined && rule.chatId === undefined) {
      context.addIssue({ code: 'custom', path: [], message: 'missing required field "chat_id"' });
    }
  })
  .transform((rule): RouteRule => {
    const thread = rule.message_thread_id ?? rule.threadId;
    const target = { match: rule.match, chatId: (rule.chat_id ?? rule.chatId)! };
    return thread === undefined ? target : { ...target, threadId: thread };
  });

const rulesSchema = z.array(ruleSchema);

type PathKey = string | number;

function formatPath(path: readonly PathKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? key : `${text}.${key}`), '');
}

/** The deepest node of the document on `path` (a missing key points at the object that lacks it). */
function deepestNode(document: Document, path: readonly PathKey[]): { node: Node | undefined; path: PathKey[] } {
  for (let length = path.length; length >= 0; length -= 1) {
    const prefix = path.slice(0, length);
    const node = length === 0 ? document.contents : document.getIn(prefix, true);
    if (node !== undefined && node !== null && typeof node === 'object' && 'range' in (node)) {
      return { node: node as Node, path: prefix };
    }
  }
  return { node: undefined, path: [] };
}

function keyNode(node: Node | undefined, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
  return (pair?.key as Node | undefined) ?? undefined;
}

function position(node: Node | undefined, lines: LineCounter): string {
  const offset = node?.range?.[0];
  if (offset === undefined) return '1:1';
  const { line, col } = lines.linePos(offset);
  return `${line}:${col}`;
}

/**
 * Reads a routes file's text. Every problem is reported at once, each as `file:line:column: path: reason`; the file
 * name only labels the messages (this function does no I/O). Throws RoutesFileError.
 */
export function readRoutesFile(source: string, fileName = 'ROUTES_FILE'): RoutesFile {
  const lines = new LineCounter();
  const document = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new RoutesFileError(
      document.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return `${fileName}:${line}:${col}: ${error.message.split('\n')[0]}`;
      }),
    );
  }
  const data: unknown = document.toJS();
  let rulesPath: PathKey[];
  let rules: unknown;
  if (Array.isArray(data)) {
    rulesPath = [];
    rules = data;
  } else if (data !== null && typeof data === 'object' && Object.keys(data).length === 1 && 'routes' in data) {
    rulesPath = ['routes'];
    rules = (data).routes;
  } else if (data === null || data === undefined) {
    return { rules: [], warnings: [] };
  } else {
    throw new RoutesFileError([`${fileName}:1:1: expected a list of rules, or an object with only a "routes" list`]);
  }
  const parsed = rulesSchema.safeParse(rules);
  if (!parsed.success) {
    throw new RoutesFileError(
      parsed.error.issues.flatMap((issue) => {
        const fullPath = [...rulesPath, ...issue.path.filter((key): key is PathKey => typeof key !== 'symbol')];
        const found = deepestNode(document, fullPath);
        if (issue.code === 'unrecognized_keys') {
          return issue.keys.map((key) => {
            const at = position(keyNode(found.node, key) ?? found.node, lines);
            return `${fileName}:${at}: ${formatPath([...found.path, key])}: unknown field`;
          });
        }
        const where = formatPath(found.path) || '(top level)';
        const missingKey = found.path.length === fullPath.length - 1 && isMap(found.node) ? fullPath[fullPath.length - 1] : undefined;
        const reason = missingKey === undefined ? issue.message : `missing required field "${missingKey}"`;
        return [`${fileName}:${position(found.node, lines)}: ${where}: ${reason}`];
      }),
    );
  }
  const warnings: string[] = [];
  (rules as unknown[]).forEach((rule, index) => {
    const ruleNode = document.getIn([...rulesPath, index], true) as Node | undefined;
    for (const [old, current] of Object.entries(deprecatedKeys)) {
      if (rule === null || typeof rule !== 'object' || !(old in rule)) continue;
      const at = position(keyNode(ruleNode, old), lines);
      warnings.push(`${fileName}:${at}: ${formatPath([...rulesPath, index, old])}: "${old}" is deprecated; write "${current}"`);
    }
  });
  return { rules: parsed.data, warnings };
}

/** The rules alone (deprecation warnings dropped): for callers that already validated the file at start-up. */
export function parseRoutes(source: string, fileName = 'ROUTES_FILE'): RouteRule[] {
  return readRoutesFile(source, fileName).rules;
}
