import { isMap, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { alertLevels, type AlertLevel } from './alert-view';

/**
 * ROUTES_FILE: which chat (and forum topic) gets which alerts. YAML or JSON (JSON is read as YAML 1.2, which also
 * tolerates a trailing comma), either a list of rules or `{ routes: [...] }`:
 *
 *   routes:
 *     - match: { project: backend, environment: production, level: error+ }
 *       chatId: -1001234567890
 *       threadId: 42
 *     - match: { component: [payments, billing] }
 *       chatId: "@payments_alerts"
 *
 * Matching: a rule matches when every field it names matches (a list means any of its values; names compare
 * case-insensitively; `error+` means error or more severe); a rule without `match` matches everything. An alert goes
 * to EVERY matching rule's chat, once per distinct chat/topic, so a team chat and a catch-all "all production" chat
 * both see it; when no rule matches it goes to the default chat (TELEGRAM_CHAT_ID).
 */

export interface LevelCondition {
  level: AlertLevel;
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

export interface RouteTarget {
  chatId: string;
  threadId?: number;
}

export interface AlertRouteFacts {
  project?: string | null;
  environment?: string | null;
  component?: string | null;
  level?: AlertLevel | null;
}

export class RoutesFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid routes file:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'RoutesFileError';
  }
}

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(item).min(1, 'must list at least one value'));

const name = z.string().trim().min(1, 'must not be empty');

const levelCondition = z
  .string()
  .trim()
  .regex(
    new RegExp(`^(${alertLevels.join('|')})\\+?$`),
    `must be one of ${alertLevels.join(', ')}, optionally followed by + (e.g. error+)`,
  )
  .transform((value): LevelCondition => ({ level: value.replace(/\+$/, '') as AlertLevel, orHigher: value.endsWith('+') }));

const chatId = z
  .union([z.number(), z.string()])
  .transform((value) => String(value).trim())
  .refine((value) => /^(-?\d+|@[A-Za-z0-9_]{5,})$/.test(value), {
    message: 'must be a numeric chat id (e.g. -1001234567890) or @channelusername',
  });

const ruleSchema = z.strictObject({
  match: z
    .strictObject({
      project: oneOrMany(name).optional(),
      environment: oneOrMany(name).optional(),
      component: oneOrMany(name).optional(),
      level: oneOrMany(levelCondition).optional(),
    })
    .optional()
    .transform((match) => match ?? {}),
  chatId,
  threadId: z.number().int('must be an integer').positive('must be a positive forum topic id').optional(),
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
    if (node !== undefined && node !== null && typeof node === 'object' && 'range' in (node as object)) {
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
 * name only labels the messages (this function does no I/O).
 */
export function parseRoutes(source: string, fileName = 'ROUTES_FILE'): RouteRule[] {
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
    rules = (data as { routes: unknown }).routes;
  } else if (data === null || data === undefined) {
    return [];
  } else {
    throw new RoutesFileError([`${fileName}:1:1: expected a list of rules, or an object with only a "routes" list`]);
  }
  const parsed = rulesSchema.safeParse(rules);
  if (parsed.success) return parsed.data;
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

function sameName(wanted: string[] | undefined, actual: string | null | undefined): boolean {
  if (wanted === undefined) return true;
  if (actual === undefined || actual === null) return false;
  const value = actual.toLowerCase();
  return wanted.some((candidate) => candidate.toLowerCase() === value);
}

function levelMatches(conditions: LevelCondition[] | undefined, actual: AlertLevel | null | undefined): boolean {
  if (conditions === undefined) return true;
  if (actual === undefined || actual === null) return false;
  const severity = alertLevels.indexOf(actual);
  return conditions.some((condition) =>
    condition.orHigher ? severity >= alertLevels.indexOf(condition.level) : severity === alertLevels.indexOf(condition.level),
  );
}

export function ruleMatches(rule: RouteRule, alert: AlertRouteFacts): boolean {
  const { match } = rule;
  return (
    sameName(match.project, alert.project) &&
    sameName(match.environment, alert.environment) &&
    sameName(match.component, alert.component) &&
    levelMatches(match.level, alert.level)
  );
}

/** Every matching rule's chat, in file order, each chat/topic once; the default chat when none matches. */
export function routeAlert(rules: RouteRule[], defaultChatId: string | undefined, alert: AlertRouteFacts): RouteTarget[] {
  const targets: RouteTarget[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (!ruleMatches(rule, alert)) continue;
    const key = `${rule.chatId}#${rule.threadId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push(rule.threadId === undefined ? { chatId: rule.chatId } : { chatId: rule.chatId, threadId: rule.threadId });
  }
  if (targets.length > 0 || defaultChatId === undefined) return targets;
  return [{ chatId: defaultChatId }];
}
