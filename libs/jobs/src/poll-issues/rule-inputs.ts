import type { Redis } from 'ioredis';
import type { GlitchTipClient } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { appKey } from '@triage/queue';
import type { AlertRule } from './alert-rules';
import type { PollDecision, PolledIssue } from './poll-decisions';

/** How long a poll's "this rule fired" judgement is remembered: longer than any issue waits for its grace. */
const JUDGED_FIRED_TTL_SECONDS = 3600;

export function judgedFiredKey(prefix: string, issueId: string): string {
  return appKey(prefix, 'poller', 'rule-fired-at', issueId);
}

/**
 * Each project's alert rules, read once per poll for the projects of issues Triage does not know. A project whose
 * rules cannot be read (no project:read scope, GlitchTip failing) is left out: the poller then falls back to treating
 * every rule as fired, and says so.
 */
export async function readAlertRules(glitchtip: GlitchTipClient, issues: Array<{ projectSlug: string }>, log: Logger): Promise<Map<string, AlertRule[]>> {
  const rules = new Map<string, AlertRule[]>();
  for (const slug of new Set(issues.map((issue) => issue.projectSlug))) {
    try {
      rules.set(slug, await glitchtip.listProjectAlerts(slug));
    } catch (error) {
      log.warn({ err: error, project: slug }, 'could not read the project alert rules; unknown issues of it are alerted as if a rule fired');
    }
  }
  return rules;
}

/** Events per hour of the last 24 h (issues-stats); an issue missing from the answer is judged without them. */
export async function readHourlyEvents(glitchtip: GlitchTipClient, issues: Array<{ id: string }>, log: Logger): Promise<Map<string, Array<[number, number]>>> {
  const hourly = new Map<string, Array<[number, number]>>();
  if (issues.length === 0) return hourly;
  try {
    for (const stats of await glitchtip.getIssuesStats(issues.map((issue) => issue.id), '24h')) hourly.set(stats.id, stats.stats['24h'] ?? []);
  } catch (error) {
    log.warn({ err: error }, 'could not read hourly event counts; rules are judged from counts and first/last seen alone');
  }
  return hourly;
}

export async function readFirstJudgedFiredAt(redis: Redis, prefix: string, issues: Array<{ id: string }>): Promise<Map<string, number>> {
  if (issues.length === 0) return new Map();
  const values = await redis.mget(issues.map((issue) => judgedFiredKey(prefix, issue.id)));
  return new Map(issues.flatMap((issue, index) => (values[index] ? [[issue.id, Number(values[index])] as [string, number]] : [])));
}

/** Issues whose rule fired but whose webhook still has time: the grace then runs from this poll at the latest. */
export async function rememberJudgedFired(redis: Redis, prefix: string, decisions: Array<PollDecision<PolledIssue>>, now: number): Promise<void> {
  for (const { issue, action, verdict } of decisions) {
    if (action !== 'wait' || (verdict !== 'fired' && verdict !== 'maybe')) continue;
    await redis.set(judgedFiredKey(prefix, issue.id), String(now), 'EX', JUDGED_FIRED_TTL_SECONDS, 'NX');
  }
}
