import { parseRoutes, readRoutesFile, RoutesFileError, type LevelCondition, type RouteMatch, type RouteRule } from '@triage/config';
import { alertLevels, type AlertLevel } from './alert-view';

/**
 * Which chats (and forum topics) an alert goes to, by the rules of ROUTES_FILE. The file itself is read and checked
 * by @triage/config (so start-up can refuse a bad one before any process runs); this module only matches.
 *
 * Matching: a rule matches when every field it names matches (a list means any of its values; names compare
 * case-insensitively; `error+` means error or more severe); a rule without `match` matches everything. An alert goes
 * to EVERY matching rule's chat, once per distinct chat/topic, so a team chat and a catch-all "all production" chat
 * both see it; when no rule matches it goes to the default chat (TELEGRAM_CHAT_ID).
 */

export { parseRoutes, readRoutesFile, RoutesFileError, type LevelCondition, type RouteMatch, type RouteRule };

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
