import crypto from 'node:crypto';
import type { FakeIssueLevel, FakeIssueStatus, SearchableIssue } from './issue-search';

export interface FakeProject {
  id: number;
  slug: string;
  name: string;
  platform: string | null;
}

export interface FakeIssue extends SearchableIssue {
  orgSlug: string;
  project: FakeProject;
  type: 'default' | 'error' | 'csp';
  metadata: Record<string, unknown>;
  /** Per-project counter behind the short id (BACKEND-1A). */
  shortIdNumber: number;
  /** Start of an hour (unix seconds) -> events in that hour; what issues-stats and stats_v2 read. */
  hourly: Map<number, number>;
  /** The body GET /issues/{id}/events/latest/ returns, once an event is seeded. */
  latestEvent: Record<string, unknown> | undefined;
}

/** A project alert rule (CONTRACT §1.1): GlitchTip fires it for an issue with `quantity` events within `timespanMinutes`. */
export interface FakeProjectAlert {
  id: number;
  projectSlug: string;
  name: string;
  timespanMinutes: number | null;
  quantity: number | null;
  uptime: boolean;
  alertRecipients: Array<{ id: number; recipientType: 'email' | 'webhook' | 'discord' | 'googlechat'; url: string }>;
}

export interface SeedProjectAlertInput {
  name?: string;
  timespanMinutes?: number | null;
  quantity?: number | null;
  uptime?: boolean;
  recipients?: Array<{ recipientType: FakeProjectAlert['alertRecipients'][number]['recipientType']; url: string }>;
}

export interface FakeComment {
  id: number;
  issueId: number;
  text: string;
  dateCreated: Date;
}

export interface SeedIssueInput {
  id?: number;
  /** Project slug (created on first use) or a full project. Default `backend`. */
  project?: string | Partial<FakeProject> & { slug: string };
  title?: string;
  culprit?: string;
  type?: FakeIssue['type'];
  level?: FakeIssueLevel;
  status?: FakeIssueStatus;
  count?: number;
  firstSeen?: Date | string;
  lastSeen?: Date | string;
  metadata?: Record<string, unknown>;
  /** `{ environment: 'production' }` (all events) or `{ server_name: { 'web-01': 31, 'web-02': 26 } }`. */
  tags?: Record<string, string | Record<string, number>>;
  /** Events per hour for the stats endpoints; default: the whole count in the last-seen hour. */
  hourly?: Array<[Date | number, number]>;
}

/** A frame as an SDK sends it (snake_case, pre/post context); the fake renames it the way GlitchTip stores it. */
export interface SdkFrame {
  filename?: string;
  function?: string;
  module?: string;
  lineno?: number;
  colno?: number;
  abs_path?: string;
  in_app?: boolean;
  context_line?: string;
  pre_context?: string[];
  post_context?: string[];
  vars?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface SeedEventInput {
  eventId?: string;
  dateCreated?: Date | string;
  /** Exceptions in SDK order (cause first), frames outermost first. Default: one from the issue's metadata. */
  exceptions?: Array<{ type: string; value: string; module?: string; handled?: boolean; frames: SdkFrame[] }>;
  tags?: Record<string, string>;
  /** Merged over the generated body last, for anything else (contexts, user, entries...). */
  overrides?: Record<string, unknown>;
}

export interface NewEventInput {
  at?: Date;
  /** Adds one event to each of these tag values. */
  tags?: Record<string, string>;
}

export const fakeUser = { id: '5', email: 'ops-bot@example.com', name: 'Ops Bot' };

/** The fake's data: one organization, its projects, issues, latest events and comments. */
export class FakeStore {
  readonly projects = new Map<string, FakeProject>();
  readonly issues = new Map<number, FakeIssue>();
  readonly comments: FakeComment[] = [];
  readonly projectAlerts: FakeProjectAlert[] = [];
  private nextAlertId = 1;
  private nextRecipientId = 1;
  private nextIssueId = 1000;
  private nextProjectId = 1;
  private nextCommentId = 1;
  private readonly shortIdCounters = new Map<string, number>();

  constructor(
    readonly orgSlug: string,
    private readonly now: () => Date,
  ) {}

  seedIssue(input: SeedIssueInput = {}): FakeIssue {
    const project = this.project(input.project ?? 'backend');
    const id = input.id ?? this.nextIssueId;
    if (this.issues.has(id)) throw new Error(`fake GlitchTip: issue ${id} is already seeded`);
    this.nextIssueId = Math.max(this.nextIssueId, id + 1);
    const shortIdNumber = (this.shortIdCounters.get(project.slug) ?? 0) + 1;
    this.shortIdCounters.set(project.slug, shortIdNumber);
    const now = this.now();
    const lastSeen = toDate(input.lastSeen ?? now);
    const firstSeen = toDate(input.firstSeen ?? lastSeen);
    const count = input.count ?? 1;
    const title = input.title ?? `Error: something failed ${id}`;
    const [errorType, errorValue] = title.includes(': ') ? title.split(/: (.*)/s) : [title, ''];
    const issue: FakeIssue = {
      id,
      orgSlug: this.orgSlug,
      project,
      projectId: project.id,
      title,
      culprit: input.culprit ?? 'app.views in handler',
      type: input.type ?? 'error',
      level: input.level ?? 'error',
      status: input.status ?? 'unresolved',
      count,
      firstSeen,
      lastSeen,
      metadata: input.metadata ?? { type: errorType, value: errorValue ?? '' },
      shortIdNumber,
      tags: expandTags(input.tags ?? {}, count),
      hourly: new Map(),
      latestEvent: undefined,
    };
    for (const [at, events] of input.hourly ?? [[lastSeen, count] as [Date, number]]) addHourly(issue, at, events);
    this.issues.set(id, issue);
    return issue;
  }

  seedEvent(issueId: number, input: SeedEventInput = {}): Record<string, unknown> {
    const issue = this.requireIssue(issueId);
    const eventId = (input.eventId ?? crypto.randomBytes(16).toString('hex')).replace(/-/g, '');
    const dateCreated = toDate(input.dateCreated ?? issue.lastSeen);
    const exceptions = input.exceptions ?? [defaultException(issue)];
    const previous = issue.latestEvent?.eventID;
    const tags = Object.entries(input.tags ?? firstTagValues(issue)).map(([key, value]) => ({ key, value }));
    issue.latestEvent = {
      id: eventId,
      eventID: eventId,
      projectID: issue.project.id,
      groupID: String(issue.id),
      dateCreated: dateCreated.toISOString(),
      dateReceived: dateCreated.toISOString(),
      dist: null,
      culprit: issue.culprit,
      packages: {},
      type: issue.type,
      message: issue.title,
      metadata: issue.metadata,
      tags,
      entries: [
        {
          type: 'exception',
          data: {
            values: exceptions.map((exception) => ({
              type: exception.type,
              value: exception.value,
              ...(exception.module ? { module: exception.module } : {}),
              mechanism: { type: 'generic', handled: exception.handled ?? false },
              stacktrace: { frames: exception.frames.map(storedFrame) },
            })),
            hasSystemFrames: exceptions.some((exception) => exception.frames.some((frame) => frame.in_app === true)),
          },
        },
      ],
      contexts: {},
      context: null,
      user: null,
      sdk: { name: 'sentry.python', version: '2.20.0' },
      title: issue.title,
      platform: issue.project.platform ?? 'python',
      errors: null,
      userReport: null,
      nextEventID: null,
      previousEventID: typeof previous === 'string' ? previous : null,
      ...input.overrides,
    };
    return issue.latestEvent;
  }

  /** A new event arrived: count, last seen and stats go up; a resolved issue regresses to unresolved. */
  recordNewEvent(issueId: number, input: NewEventInput = {}): FakeIssue {
    const issue = this.requireIssue(issueId);
    const at = input.at ?? this.now();
    issue.count += 1;
    if (at > issue.lastSeen) issue.lastSeen = at;
    addHourly(issue, at, 1);
    for (const [key, value] of Object.entries(input.tags ?? {})) {
      const values = (issue.tags[key] ??= {});
      values[value] = (values[value] ?? 0) + 1;
    }
    if (issue.status === 'resolved') issue.status = 'unresolved';
    return issue;
  }

  /** A project alert rule; the project is created on first use, like seedIssue's. */
  seedProjectAlert(projectSlug: string, input: SeedProjectAlertInput = {}): FakeProjectAlert {
    this.project(projectSlug);
    const alert: FakeProjectAlert = {
      id: this.nextAlertId++,
      projectSlug,
      name: input.name ?? 'Alert',
      timespanMinutes: input.timespanMinutes === undefined ? 1 : input.timespanMinutes,
      quantity: input.quantity === undefined ? 1 : input.quantity,
      uptime: input.uptime ?? false,
      alertRecipients: (input.recipients ?? [{ recipientType: 'webhook', url: 'https://triage.example.com/api/glitchtip-webhook?token=t' }]).map((recipient) => ({
        id: this.nextRecipientId++,
        ...recipient,
      })),
    };
    this.projectAlerts.push(alert);
    return alert;
  }

  addComment(issueId: number, text: string): FakeComment {
    const comment = { id: this.nextCommentId++, issueId, text, dateCreated: this.now() };
    this.comments.push(comment);
    return comment;
  }

  /** A person deleting a comment in GlitchTip's UI (or DELETE .../comments/{id}/); false when there was none. */
  deleteComment(issueId: number, commentId: number): boolean {
    const index = this.comments.findIndex((comment) => comment.issueId === issueId && comment.id === commentId);
    if (index === -1) return false;
    this.comments.splice(index, 1);
    return true;
  }

  commentsOf(issueId: number): FakeComment[] {
    return this.comments.filter((comment) => comment.issueId === issueId);
  }

  requireIssue(issueId: number): FakeIssue {
    const issue = this.issues.get(issueId);
    if (!issue) throw new Error(`fake GlitchTip: no issue ${issueId} seeded`);
    return issue;
  }

  private project(input: string | (Partial<FakeProject> & { slug: string })): FakeProject {
    const slug = typeof input === 'string' ? input : input.slug;
    const existing = this.projects.get(slug);
    if (existing) return existing;
    const given: Partial<FakeProject> = typeof input === 'string' ? {} : input;
    const project: FakeProject = {
      id: given.id ?? this.nextProjectId,
      slug,
      name: given.name ?? slug.charAt(0).toUpperCase() + slug.slice(1),
      platform: given.platform === undefined ? 'python' : given.platform,
    };
    this.nextProjectId = Math.max(this.nextProjectId, project.id + 1);
    this.projects.set(slug, project);
    return project;
  }
}

export function toDate(value: Date | string | number): Date {
  const date = value instanceof Date ? new Date(value) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`fake GlitchTip: not a date: ${String(value)}`);
  return date;
}

export function hourStart(at: Date | number): number {
  const ms = typeof at === 'number' ? at * 1000 : at.getTime();
  return Math.floor(ms / 3_600_000) * 3600;
}

function addHourly(issue: FakeIssue, at: Date | number, events: number): void {
  const hour = hourStart(at);
  issue.hourly.set(hour, (issue.hourly.get(hour) ?? 0) + events);
}

function expandTags(tags: Record<string, string | Record<string, number>>, count: number): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(tags).map(([key, value]) => [key, typeof value === 'string' ? { [value]: Math.max(1, count) } : { ...value }]),
  );
}

function firstTagValues(issue: FakeIssue): Record<string, string> {
  return Object.fromEntries(
    Object.entries(issue.tags)
      .map(([key, values]): [string, string | undefined] => [key, Object.keys(values)[0]])
      .filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function defaultException(issue: FakeIssue): NonNullable<SeedEventInput['exceptions']>[number] {
  const filename = typeof issue.metadata.filename === 'string' ? issue.metadata.filename : 'app/views.py';
  const fn = typeof issue.metadata.function === 'string' ? issue.metadata.function : 'handler';
  return {
    type: String(issue.metadata.type ?? 'Error'),
    value: String(issue.metadata.value ?? issue.title),
    frames: [{ filename, function: fn, module: filename.replace(/\.py$/, '').replace(/\//g, '.'), lineno: 42, in_app: true, context_line: '    raise Error()' }],
  };
}

/**
 * Ingest drops null keys; get_entries renames in_app/abs_path/lineno/colno and folds pre/post_context into
 * `context: [[lineno, line], ...]`; every other key passes through in snake_case (CONTRACT §2.6).
 */
export function storedFrame(frame: SdkFrame): Record<string, unknown> {
  const { in_app, abs_path, lineno, colno, pre_context, post_context, ...rest } = frame;
  const stored: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined && value !== null) stored[key] = value;
  if (in_app !== undefined) stored.inApp = in_app;
  stored.absPath = abs_path ?? frame.filename;
  if (lineno !== undefined) stored.lineNo = lineno;
  if (colno !== undefined) stored.colNo = colno;
  if (lineno !== undefined && frame.context_line !== undefined) {
    const before = pre_context ?? [];
    stored.context = [
      ...before.map((line, index): [number, string] => [lineno - before.length + index, line]),
      [lineno, frame.context_line],
      ...(post_context ?? []).map((line, index): [number, string] => [lineno + 1 + index, line]),
    ];
  }
  return stored;
}
