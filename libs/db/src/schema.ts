import { sql } from 'drizzle-orm';
import { bigint, bigserial, date, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Every write Triage makes to GlitchTip or Telegram (and every refused action): who, what, which issue, when, result. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    issueId: text('issue_id'),
    result: text('result').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    error: text('error'),
    /** Set for writes that must happen once; a retried job finds its row and does not write again. */
    idempotencyKey: text('idempotency_key'),
  },
  (table) => [
    index('audit_log_issue_idx').on(table.issueId, table.at),
    uniqueIndex('audit_log_idempotency_key_idx').on(table.idempotencyKey),
  ],
);

/** One row per alerted issue (or uptime monitor, keyed `uptime-<id>`): the latest enriched view and its state. */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: text('issue_id').notNull(),
    kind: text('kind').notNull().default('issue'),
    /** open | resolved | ignored | muted */
    state: text('state').notNull().default('open'),
    source: text('source').notNull(),
    title: text('title').notNull(),
    level: text('level'),
    project: text('project'),
    component: text('component'),
    environment: text('environment'),
    release: text('release'),
    eventCount: bigint('event_count', { mode: 'number' }),
    alertCount: bigint('alert_count', { mode: 'number' }).notNull().default(1),
    /** The AlertView the messages are rendered from; every edit re-renders from here. */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    statusBy: text('status_by'),
    statusAt: timestamp('status_at', { withTimezone: true }),
    mutedUntil: timestamp('muted_until', { withTimezone: true }),
    firstAlertedAt: timestamp('first_alerted_at', { withTimezone: true }).notNull().defaultNow(),
    lastAlertedAt: timestamp('last_alerted_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    // Alert transitions (libs/alerts owns these columns): what the latest signal changed, for idempotent retries,
    // notifying transitions, the delivery reconciler and the GLITCHTIP_INTEGRATION_ENABLED=false switch.
    /** new | repeat | regression | realert | outage | recovery: what the latest recorded signal changed. */
    lastTransition: text('last_transition'),
    /** When the latest new / regression / realert / outage / recovery was recorded (a message is owed from then). */
    transitionAt: timestamp('transition_at', { withTimezone: true }),
    /** The process-alert job (id and creation time) that recorded the latest signal: its retries do not record twice. */
    lastSignalKey: text('last_signal_key'),
    /** receivedAt of the latest recorded signal: an older one arriving late changes nothing. */
    lastSignalAt: timestamp('last_signal_at', { withTimezone: true }),
    /** Recorded while GLITCHTIP_INTEGRATION_ENABLED=false: never sent, and never re-driven later. */
    suppressedAt: timestamp('suppressed_at', { withTimezone: true }),
    /** When the delivery reconciler last re-drove this alert's send. */
    redrivenAt: timestamp('redriven_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('alerts_issue_idx').on(table.issueId), index('alerts_last_alerted_idx').on(table.lastAlertedAt)],
);

/** The Telegram message that shows an alert in one chat (and forum topic): sent once, then only edited. */
export const alertMessages = pgTable(
  'alert_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: text('issue_id').notNull(),
    chatId: text('chat_id').notNull(),
    threadId: integer('thread_id'),
    messageId: integer('message_id'),
    /** AlertMessageStatus of @triage/alerts (alert-messages): pending | sending | sent | unknown | digesting | digest | failed | superseded */
    status: text('status').notNull().default('pending'),
    /** Hash of the text + buttons last sent, so an unchanged edit is never sent. */
    renderedHash: text('rendered_hash'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    // Delivery (libs/alerts alert-messages, written only there): one row per message of an issue in a chat and topic.
    /** The forum topic the route names (0: none); thread_id is where the message actually went (a gone topic falls back). */
    routeThreadId: integer('route_thread_id').notNull().default(0),
    /** 1 for the first message; a regression, re-alert or new outage adds the next one, sent as a reply to the previous. */
    generation: integer('generation').notNull().default(1),
    /** The send-alert job that opened this generation: its retries find it instead of opening another. */
    openedBy: text('opened_by'),
    /** The message this one replies to (the previous generation's), if any. */
    replyToMessageId: integer('reply_to_message_id'),
    /** Why this generation exists: new | regression | realert | outage (the pointer edit on the previous one names it). */
    openedFor: text('opened_for'),
  },
  (table) => [
    uniqueIndex('alert_messages_issue_chat_topic_generation_idx').on(table.issueId, table.chatId, table.routeThreadId, table.generation),
    index('alert_messages_chat_idx').on(table.chatId, table.messageId),
  ],
);

/** What Triage last knew of each GlitchTip issue; the poller compares against it to find lost alerts and regressions. */
export const issueStates = pgTable('issue_states', {
  issueId: text('issue_id').primaryKey(),
  /** unresolved | resolved | ignored, as GlitchTip last said */
  status: text('status').notNull(),
  eventCount: bigint('event_count', { mode: 'number' }).notNull().default(0),
  lastSeen: timestamp('last_seen', { withTimezone: true }),
  lastAlertedAt: timestamp('last_alerted_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const investigations = pgTable(
  'investigations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: text('issue_id').notNull(),
    status: text('status').notNull(),
    summary: text('summary'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    commentId: text('comment_id'),
    requestedBy: text('requested_by'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [index('investigations_issue_idx').on(table.issueId, table.startedAt)],
);

export const metricsHistory = pgTable(
  'metrics_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    date: date('date').notNull(),
    component: text('component').notNull(),
    events: integer('events').notNull().default(0),
    newIssues: integer('new_issues').notNull().default(0),
    resolvedIssues: integer('resolved_issues').notNull().default(0),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('metrics_history_date_component_idx').on(table.date, table.component)],
);

export const runbookLinks = pgTable(
  'runbook_links',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: text('issue_id').notNull(),
    runbookPath: text('runbook_path').notNull(),
    score: real('score').notNull(),
    commentId: text('comment_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('runbook_links_issue_runbook_idx').on(table.issueId, table.runbookPath)],
);
