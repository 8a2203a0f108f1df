import { recordAudit } from '@triage/db';
import { extractExceptions, IntegrationDisabledError, type GlitchTipClient, type GlitchTipIssue } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { scrubPii } from '@triage/pii';
import { answerRunbookCommand, issueFactsOf, sharedRunbookStore, type IssueFacts } from '@triage/runbooks';
import { escapeHtml, escapeHtmlAttribute, formatTimestamp, truncateText } from '@triage/telegram';
import { defineHandler, type HandlerContext } from '@triage/worker-runtime';
import { recordOutcomeEvent } from '@triage/outcomes';
import type { WorkerDeps } from '../worker-deps';
import { botCommand, type BotCommandPayload } from '@triage/contracts';
import { fitReply, sendChatReply } from '@triage/delivery';

type Context = HandlerContext<WorkerDeps>;

const hourMs = 3_600_000;
const titleLimit = 120;

export interface RankedIssue {
  issue: GlitchTipIssue;
  /** Events inside the window (the issue's total when GlitchTip's per-issue stats were unavailable). */
  windowEvents: number;
}

/**
 * Unresolved issues last seen inside the window, most events in the window first. GlitchTip's `start` filters on
 * first seen, so the list is walked newest-seen first and cut where last seen leaves the window.
 */
export async function topUnresolvedIssues(
  glitchtip: GlitchTipClient,
  options: { hours: number; componentTag: string; component?: string; limit: number; now?: Date },
  log: Logger,
): Promise<RankedIssue[]> {
  const now = options.now ?? new Date();
  const since = now.getTime() - options.hours * hourMs;
  const query = ['is:unresolved', ...(options.component ? [`${options.componentTag}:${options.component}`] : [])].join(' ');
  const seen: GlitchTipIssue[] = [];
  for await (const page of glitchtip.iterateIssuePages({ query, sort: '-last_seen', limit: 100 }, { maxPages: 3 })) {
    const inWindow = page.items.filter((issue) => Date.parse(issue.lastSeen) >= since);
    seen.push(...inWindow);
    if (inWindow.length < page.items.length) break;
  }
  if (seen.length === 0) return [];
  const windowEvents = new Map<string, number>();
  try {
    const period = options.hours <= 24 ? '24h' : '14d';
    const bucketMs = period === '24h' ? hourMs : 24 * hourMs;
    for (const stats of await glitchtip.getIssuesStats(seen.slice(0, 200).map((issue) => issue.id), period)) {
      const series = stats.stats[period] ?? [];
      // A bucket counts when any part of it lies inside the window.
      windowEvents.set(stats.id, series.filter(([at]) => at * 1000 + bucketMs > since).reduce((sum, [, count]) => sum + count, 0));
    }
  } catch (error) {
    if (error instanceof IntegrationDisabledError) throw error;
    log.warn({ err: error }, 'issues-stats unavailable; ranking by total event count');
  }
  return seen
    .map((issue) => ({ issue, windowEvents: windowEvents.get(issue.id) ?? issue.count }))
    .sort((a, b) => b.windowEvents - a.windowEvents || b.issue.count - a.issue.count)
    .slice(0, options.limit);
}

function shortTitle(title: string): string {
  return truncateText(scrubPii(title).replace(/\s+/g, ' ').trim(), titleLimit);
}

export function windowLabel(hours: number): string {
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24}d` : `${hours}h`;
}

async function issueLines(ranked: RankedIssue[], deps: WorkerDeps, glitchtip: GlitchTipClient): Promise<string[]> {
  const org = ranked.some(({ issue }) => !issue.permalink) ? await glitchtip.resolveOrg() : undefined;
  return ranked.flatMap(({ issue, windowEvents }, index) => {
    const url = issue.permalink ?? `${deps.config.glitchtip.baseUrl}/${encodeURIComponent(org ?? '')}/issues/${issue.id}`;
    const counts = windowEvents === issue.count ? `${windowEvents.toLocaleString('en-US')} events` : `${windowEvents.toLocaleString('en-US')} events (${issue.count.toLocaleString('en-US')} total)`;
    return [
      `${index + 1}. <a href="${escapeHtmlAttribute(url)}">${escapeHtml(shortTitle(issue.title))}</a>`,
      `    ${counts} · last seen ${escapeHtml(formatTimestamp(issue.lastSeen))} · <code>${escapeHtml(issue.shortId)}</code> id ${escapeHtml(issue.id)}`,
    ];
  });
}

async function errorsReply(payload: Extract<BotCommandPayload, { command: 'errors' }>, deps: WorkerDeps, glitchtip: GlitchTipClient, log: Logger): Promise<string[]> {
  const ranked = await topUnresolvedIssues(glitchtip, { hours: payload.hours, componentTag: deps.config.componentTag, component: payload.component, limit: 10 }, log);
  const scope = payload.component ? ` in <code>${escapeHtml(payload.component)}</code>` : '';
  const window = windowLabel(payload.hours);
  if (ranked.length === 0) return [`✅ No unresolved errors${scope} seen in the last ${window}.`];
  return [`<b>🔥 Top unresolved errors${scope}, last ${window}</b>`, '', ...(await issueLines(ranked, deps, glitchtip))];
}

async function statsReply(payload: Extract<BotCommandPayload, { command: 'stats' }>, deps: WorkerDeps, glitchtip: GlitchTipClient, log: Logger): Promise<string[]> {
  const hours = payload.period === '7d' ? 168 : 24;
  const end = new Date();
  const start = new Date(end.getTime() - hours * hourMs);
  const stats = await glitchtip.getStatsV2({ start, end, interval: '1h', category: 'error', field: 'sum(quantity)' });
  const events = stats.groups.flatMap((group) => Object.values(group.series).flat()).reduce<number>((sum, value) => sum + (value ?? 0), 0);
  const fresh = await glitchtip.listIssues({ start, limit: 100 });
  const newIssues = fresh.hits ?? fresh.items.length;
  const newText = fresh.hits === undefined && fresh.nextCursor ? `${newIssues}+` : String(newIssues);
  const ranked = await topUnresolvedIssues(glitchtip, { hours, componentTag: deps.config.componentTag, limit: 5, now: end }, log);
  return [
    `<b>📊 Errors, last ${payload.period}</b>`,
    `Events: <b>${events.toLocaleString('en-US')}</b>`,
    `New issues: <b>${escapeHtml(newText)}</b>`,
    ...(ranked.length > 0 ? ['', '<b>Top unresolved issues</b>', ...(await issueLines(ranked, deps, glitchtip))] : []),
  ];
}

/** `/runbook <id>`: the match and why, or the closest runbooks (libs/runbooks); facts from GlitchTip when it answers. */
async function runbookReply(payload: Extract<BotCommandPayload, { command: 'runbook' }>, deps: WorkerDeps): Promise<string[]> {
  let facts: IssueFacts | undefined;
  if (deps.glitchtip && deps.config.glitchtip.integrationEnabled) {
    const issue = await deps.glitchtip.getIssue(payload.issueId).catch(() => undefined);
    const event = issue ? await deps.glitchtip.getLatestEvent(payload.issueId).catch(() => null) : null;
    // Unknown to GlitchTip or unreachable: the recorded alert answers instead.
    facts = issue ? issueFactsOf(issue, event ? { ...event, exceptions: extractExceptions(event) } : null, deps.config.componentTag) : undefined;
  }
  const runbooks = await sharedRunbookStore(deps.config.runbooksDir).runbooks();
  return answerRunbookCommand({ db: deps.db, runbooks, issueId: payload.issueId, publicUrl: deps.config.publicUrl, facts });
}

const needsApi = (command: string) =>
  `The /${command} command needs the GlitchTip API: set GLITCHTIP_BASE_URL and GLITCHTIP_API_TOKEN (Triage runs in webhook-only mode).`;

async function answer(payload: BotCommandPayload, context: Context): Promise<string[]> {
  const { deps, log } = context;
  // The bot's own answers (help, usage, refusals) arrive as plain text, already decided.
  if (payload.command === 'reply') return escapeHtml(payload.text).split('\n');
  if (payload.command === 'runbook') {
    // Outcome metrics: /runbook is a person acting on the issue (and, in the A/B control group, asking for help).
    const actor = payload.actor.username ? `@${payload.actor.username}` : `user ${payload.actor.userId}`;
    await recordOutcomeEvent(deps.db, { type: 'action', issueId: payload.issueId, at: new Date(context.job.timestamp), action: 'runbook', actor }).catch((error: unknown) =>
      log.warn({ err: error }, 'outcome event not recorded'),
    );
    return runbookReply(payload, deps);
  }
  const glitchtip = deps.glitchtip;
  if (!glitchtip) return [needsApi(payload.command)];
  try {
    return payload.command === 'errors' ? await errorsReply(payload, deps, glitchtip, log) : await statsReply(payload, deps, glitchtip, log);
  } catch (error) {
    if (error instanceof IntegrationDisabledError) return ['The GlitchTip integration is turned off (GLITCHTIP_INTEGRATION_ENABLED=false).'];
    if (context.job.attemptsMade + 1 < (context.job.opts.attempts ?? 1)) throw error;
    log.error({ err: error }, 'GlitchTip did not answer the command');
    return ['⚠️ GlitchTip did not answer; try again in a minute.'];
  }
}

export const botCommandHandler = defineHandler<WorkerDeps, typeof botCommand>({
  contract: botCommand,
  async handle(payload, context) {
    const { deps } = context;
    const actor = `telegram:${payload.actor.userId}`;
    // A bot reply was decided by the bot (a refusal goes to exactly the people the allowlist leaves out).
    if (payload.command !== 'reply' && !deps.config.telegram.allowedUserIds.includes(payload.actor.userId)) {
      await recordAudit(deps.db, {
        actor,
        action: `command.${payload.command}`,
        target: 'triage',
        result: 'refused',
        details: { chatId: payload.chatId, reason: 'not in TELEGRAM_ALLOWED_USER_IDS' },
        idempotencyKey: `command:${payload.requestId}`,
      });
      return { refused: true };
    }
    const lines = await answer(payload, context);
    const outcome = await sendChatReply(
      {
        chatId: payload.chatId,
        threadId: payload.threadId,
        replyTo: payload.messageId,
        html: fitReply(lines),
        actor,
        action: payload.command === 'reply' ? `reply.bot.${payload.purpose}` : `reply.command.${payload.command}`,
        issueId: payload.command === 'runbook' ? payload.issueId : undefined,
        idempotencyKey: `reply:${payload.requestId}`,
      },
      context,
    );
    return { command: payload.command, reply: outcome };
  },
});
