/**
 * A requirement is one scope ("event:read": met by that scope or a stronger one of the same resource, read <
 * write < admin) or an explicit any-of list (["event:read", "event:admin"]: met by one of exactly these, which is
 * how GlitchTip checks an endpoint, CONTRACT §2.3).
 */
export type ScopeRequirement = string | readonly string[];

/** What Triage calls, as GlitchTip's any-of lists (CONTRACT §2.3). */
export const triageRequiredScopes: readonly ScopeRequirement[] = [
  // issues, issue detail, latest event, tags
  ['event:read', 'event:write', 'event:admin'],
  // comment list: event:write alone is not enough here
  ['event:read', 'event:admin'],
  // comment create, status updates
  ['event:write', 'event:admin'],
  // organizations, stats_v2
  ['org:read', 'org:write', 'org:admin'],
  // project alert rules, which the poller follows (CONTRACT §1.1: GET needs project:read)
  ['project:read'],
];

const levels = ['read', 'write', 'admin'];

function satisfiedBy(requirement: ScopeRequirement, granted: ReadonlySet<string>): boolean {
  if (typeof requirement !== 'string') return requirement.some((scope) => granted.has(scope));
  if (granted.has(requirement)) return true;
  const [resource, level] = requirement.split(':');
  const rank = levels.indexOf(level ?? '');
  if (rank < 0) return false;
  return levels.slice(rank + 1).some((stronger) => granted.has(`${resource}:${stronger}`));
}

/** Each unmet requirement, named: "event:write" or "event:read or event:admin". */
export function missingScopes(required: readonly ScopeRequirement[], granted: readonly string[]): string[] {
  const grantedSet = new Set(granted);
  const missing = required
    .filter((requirement) => !satisfiedBy(requirement, grantedSet))
    .map((requirement) => (typeof requirement === 'string' ? requirement : requirement.join(' or ')));
  return [...new Set(missing)];
}
