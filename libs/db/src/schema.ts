import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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

/** alerts.last_transition / notifying_transition: the AlertTransition union of @triage/alerts (which checks they agree). */
type AlertTransitionColumn = 'new' | 'repeat' | 'regression' | 'realert' | 'outage' | 'recovery';

/** One row per alerted issue (or uptime monitor, keyed `uptime-<id>`): the latest enriched view and its state. */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: text('issue_id').notNull(),
    kind: text('kind').notNull().default('issue'),
    /** open | resolved | ignored | muted */
    state: text('state').$type<'open' | 'resolved' | 'ignored' | 'muted'>().notNull().default('open'),
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
    lastTransition: text('last_transition').$type<AlertTransitionColumn>(),
    /** When the latest new / regression / realert / outage / recovery was recorded (a message is owed from then). */
    transitionAt: timestamp('transition_at', { withTimezone: true }),
    /** The transition recorded at transition_at (new | regression | realert | outage | recovery): what a re-drive sends. */
    notifyingTransition: text('notifying_transition').$type<AlertTransitionColumn>(),
    /** The process-alert job (id and creation time) that recorded the latest signal: its retries do not record twice. */
    lastSignalKey: text('last_signal_key'),
    /** receivedAt of the latest recorded signal: an older one arriving late changes nothing. */
    lastSignalAt: timestamp('last_signal_at', { withTimezone: true }),
    /** Recorded while GLITCHTIP_INTEGRATION_ENABLED=false: never sent, and never re-driven later. */
    suppressedAt: timestamp('suppressed_at', { withTimezone: true }),
    /** When the delivery reconciler last re-drove this alert's send. */
    redrivenAt: timestamp('redriven_at', { withTimezone: true }),
    // Runbooks (the link-runbook job decides, libs/alerts writes): the runbook linked to the issue, a URL button under the alert.
    runbook: jsonb('runbook').$type<{ name: string; title: string; url: string }>(),
    // Investigation (libs/investigation decides, libs/alerts writes): the latest run's one-line summary for the alert
    // message, and where its full report is.
    investigation: jsonb('investigation').$type<{ investigationId: number; summary: string; url: string | null }>(),
    // Outcomes (libs/outcomes decides, libs/alerts writes): the current episode's acknowledgement and A/B group, shown in
    // the alert ("👀 Acknowledged by @ana", "control group: no automatic help").
    outcome: jsonb('outcome').$type<{ acknowledgedBy: string | null; acknowledgedAt: string | null; group: 'treatment' | 'control' }>(),
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
  status: text('status').$type<'unresolved' | 'resolved' | 'ignored'>().notNull(),
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
    // Investigation (issue 7), written only by libs/investigation/src/store: the event investigated, how long each
    // step took, whether the run came from the cache or timed out, and the Helpful / Not helpful vote.
    eventId: text('event_id'),
    durationMs: integer('duration_ms'),
    timings: jsonb('timings').$type<Record<string, number>>(),
    timedOutStep: text('timed_out_step'),
    fromCache: boolean('from_cache').notNull().default(false),
    reportHash: text('report_hash'),
    vote: text('vote'),
    votedBy: text('voted_by'),
    votedAt: timestamp('voted_at', { withTimezone: true }),
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
    // Runbooks (libs/runbooks/src/runbook-links.ts alone writes this table). runbook_path holds the runbook's name.
    /** posting (claimed, comment maybe sent) | posted. A posted link is never posted again, even once deleted. */
    state: text('state').notNull().default('posted'),
    /** Why it matched, as shown to people. */
    why: jsonb('why').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** The job that claimed it: its own retry resumes the claim instead of waiting for it to go stale. */
    claimedBy: text('claimed_by'),
    postedAt: timestamp('posted_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('runbook_links_issue_runbook_idx').on(table.issueId, table.runbookPath)],
);

/** Clicks on runbook links (the ingress's /r/<name> redirect), per runbook, issue ('' when none) and UTC day. libs/runbooks/src/runbook-clicks.ts alone writes it. */
export const runbookClicks = pgTable(
  'runbook_clicks',
  {
    runbook: text('runbook').notNull(),
    issueId: text('issue_id').notNull().default(''),
    day: date('day').notNull(),
    clicks: integer('clicks').notNull().default(0),
    lastClickedAt: timestamp('last_clicked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.runbook, table.issueId, table.day] })],
);

// Outcomes (issue 9, libs/outcomes alone writes these): alert episodes, and bulk actions with their backups.

/** One alert episode of an issue: from the alert to its resolve (or ignore); a regression opens the next one. */
export const episodes = pgTable(
  'episodes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: text('issue_id').notNull(),
    /** 1 for the issue's first episode, then one more per regression (or alert after a close). */
    seq: integer('seq').notNull(),
    /** open | acknowledged | resolved | ignored (EpisodeState in libs/outcomes) */
    state: text('state').notNull(),
    /** treatment | control: the A/B holdout group, fixed at the issue's first episode */
    experimentGroup: text('experiment_group').notNull(),
    regression: boolean('regression').notNull().default(false),
    alertCount: integer('alert_count').notNull().default(1),
    alertedAt: timestamp('alerted_at', { withTimezone: true }).notNull(),
    /** The first human action (any button or command on the issue): time to acknowledge ends here. */
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
    firstAction: text('first_action'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** resolved | ignored */
    closedAs: text('closed_as'),
    /** telegram | glitchtip (seen by the poller) | cli */
    closedVia: text('closed_via'),
    closedBy: text('closed_by'),
    investigationShownAt: timestamp('investigation_shown_at', { withTimezone: true }),
    runbookShownAt: timestamp('runbook_shown_at', { withTimezone: true }),
    /** helpful | not-helpful: the latest vote on the investigation shown in this episode */
    investigationVote: text('investigation_vote'),
    runbookClicks: integer('runbook_clicks').notNull().default(0),
    /** A control-group episode whose user asked for help (Investigate, /runbook) anyway. */
    crossoverAt: timestamp('crossover_at', { withTimezone: true }),
    crossoverAction: text('crossover_action'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('episodes_issue_seq_idx').on(table.issueId, table.seq),
    index('episodes_alerted_idx').on(table.alertedAt),
  ],
);

/** A bulk resolve / ignore: preview, then (confirmed) a backup of every issue's prior status, then batched writes. */
export const bulkOperations = pgTable(
  'bulk_operations',
  {
    /** The backup id users restore by. */
    id: text('id').primaryKey(),
    /** resolve | ignore */
    action: text('action').notNull(),
    query: text('query').notNull(),
    project: text('project'),
    requestedBy: text('requested_by').notNull(),
    /** cli | telegram */
    via: text('via').notNull(),
    /** previewed | expired | cancelled | applying | applied | failed | restoring | restored | restore-failed */
    state: text('state').notNull(),
    issueCount: integer('issue_count').notNull(),
    chatId: text('chat_id'),
    threadId: integer('thread_id'),
    previewMessageId: integer('preview_message_id'),
    backupFile: text('backup_file'),
    dryRun: boolean('dry_run').notNull().default(false),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    backedUpAt: timestamp('backed_up_at', { withTimezone: true }),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    restoredAt: timestamp('restored_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('bulk_operations_created_idx').on(table.createdAt)],
);

/** One issue of a bulk action; prior_status is the backup, written for every issue before the first write. */
export const bulkOperationItems = pgTable(
  'bulk_operation_items',
  {
    operationId: text('operation_id').notNull(),
    issueId: text('issue_id').notNull(),
    title: text('title').notNull(),
    /** unresolved | resolved | ignored, read from GlitchTip just before the first write */
    priorStatus: text('prior_status'),
    position: integer('position').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    restoredAt: timestamp('restored_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.operationId, table.issueId] })],
);

// --- Daily report (issue 8): one report per day and chat, claimed before sending; written only by libs/reports. ---
/** pending -> sending -> sent; sending -> pending when Telegram surely refused; a sending claim left stale -> unknown. */
export const dailyReportDeliveries = pgTable(
  'daily_report_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    date: date('date').notNull(),
    chatId: text('chat_id').notNull(),
    /** pending | sending | sent | unknown | skipped */
    status: text('status').notNull().default('pending'),
    photoMessageId: integer('photo_message_id'),
    /** Telegram refused the chart for good: later attempts send the text alone. */
    chartRefusedAt: timestamp('chart_refused_at', { withTimezone: true }),
    messageId: integer('message_id'),
    error: text('error'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** Daily report (libs/reports): set right before the text is sent; a stale claim without it never sent the text. */
    textSendingAt: timestamp('text_sending_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('daily_report_deliveries_date_chat_idx').on(table.date, table.chatId)],
);

/**
 * Per-issue event counts per UTC hour, copied from GlitchTip's issues-stats (which keeps hours only for the last 24 h),
 * so a day in any REPORT_TZ (23 or 25 hours on a DST change) is counted exactly. Written only by libs/reports.
 */
export const issueHourEvents = pgTable(
  'issue_hour_events',
  {
    issueId: text('issue_id').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    events: integer('events').notNull(),
  },
  (table) => [primaryKey({ columns: [table.issueId, table.hour] }), index('issue_hour_events_hour_idx').on(table.hour)],
);

/** When issue_hour_events was filled from a complete read of the issues seen in the 24 h before: what makes an hour covered. */
export const issueHourSnapshots = pgTable('issue_hour_snapshots', {
  takenAt: timestamp('taken_at', { withTimezone: true }).primaryKey(),
  issues: integer('issues').notNull(),
});
