import { fakeUser, type FakeComment, type FakeIssue } from './fake-store';

// The JSON GlitchTip writes, key for key (api_*.json examples); the quirks are deliberate.

/** List items and GET /issues/{id}/: camelCase, `count` as a string. */
export function issueJson(issue: FakeIssue, publicUrl: string, numComments: number, matchingEventId: string | null = null): Record<string, unknown> {
  return {
    id: String(issue.id),
    count: String(issue.count),
    type: issue.type,
    level: issue.level,
    status: issue.status,
    project: { id: String(issue.project.id), platform: issue.project.platform, slug: issue.project.slug, name: issue.project.name },
    shortId: `${issue.project.slug.toUpperCase()}-${issue.shortIdNumber.toString(32).toUpperCase()}`,
    numComments,
    stats: { '24h': [] },
    shareId: null,
    logger: null,
    permalink: `${publicUrl}/${issue.project.slug}/issues/${issue.id}`,
    statusDetails: {},
    subscriptionDetails: null,
    userCount: 0,
    matchingEventId,
    firstSeen: issue.firstSeen.toISOString(),
    lastSeen: issue.lastSeen.toISOString(),
    title: issue.title,
    metadata: issue.metadata,
    culprit: issue.culprit,
  };
}

export function issueDetailJson(issue: FakeIssue, publicUrl: string, numComments: number): Record<string, unknown> {
  return { ...issueJson(issue, publicUrl, numComments), userReportCount: 0 };
}

/** PUT /issues/{id}/ is declared without by_alias, so the aliased keys come out snake_case (CONTRACT §2.5). */
export function issueUpdateJson(issue: FakeIssue, publicUrl: string, numComments: number): Record<string, unknown> {
  const { shareId, statusDetails, subscriptionDetails, userCount, matchingEventId, ...rest } = issueDetailJson(issue, publicUrl, numComments);
  const ordered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    ordered[key] = value;
    if (key === 'stats') ordered.share_id = shareId;
    if (key === 'permalink') Object.assign(ordered, { status_details: statusDetails, subscription_details: subscriptionDetails, user_count: userCount, matching_event_id: matchingEventId });
  }
  return ordered;
}

export function commentJson(comment: FakeComment): Record<string, unknown> {
  return {
    id: comment.id,
    data: { text: comment.text },
    type: 'note',
    dateCreated: comment.dateCreated.toISOString(),
    user: { id: fakeUser.id, email: fakeUser.email },
  };
}

export function issueTagsJson(issue: FakeIssue, key: string | null): Array<Record<string, unknown>> {
  return Object.entries(issue.tags)
    .filter(([tagKey]) => key === null || tagKey === key)
    .map(([tagKey, values]) => {
      const sorted = Object.entries(values).sort(([, a], [, b]) => b - a);
      return {
        topValues: sorted.map(([value, count]) => ({ name: value, value, count, key: tagKey })),
        uniqueValues: sorted.length,
        key: tagKey,
        name: tagKey,
        totalValues: sorted.reduce((sum, [, count]) => sum + count, 0),
      };
    });
}

/** issues-stats writes dates with microseconds and +00:00, unlike the issue list. */
export function pythonIsoDate(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** stats_v2 interval timestamps: whole seconds, +00:00. */
export function pythonIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** GET /api/0/: user and auth are null for a missing or unknown token (the route itself needs no auth). */
export function rootJson(auth: { token: string; scopes: readonly string[] } | null): Record<string, unknown> {
  if (!auth) return { version: '0', user: null, auth: null };
  return {
    version: '0',
    user: {
      id: fakeUser.id,
      username: fakeUser.email,
      email: fakeUser.email,
      name: fakeUser.name,
      lastLogin: null,
      isSuperuser: false,
      isActive: true,
      dateJoined: '2025-01-10T08:00:00Z',
      hasPasswordAuth: true,
      identities: [],
      options: { timezone: null, stacktraceOrder: null, language: null, clock24Hours: null, preferredTheme: null },
    },
    auth: { id: 3, label: 'integration', scopes: [...auth.scopes], token: auth.token, created: '2025-06-01T10:00:00Z' },
  };
}
