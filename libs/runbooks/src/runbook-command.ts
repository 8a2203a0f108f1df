import { eq } from 'drizzle-orm';
import { alerts, type Database } from '@triage/db';
import { scrubPii } from '@triage/pii';
import { matchRunbooks, type MatchOutcome } from './match-runbooks';
import type { PreparedRunbook } from './prepare-runbooks';
import { escapeHtml } from './render-runbook';
import type { IssueFacts } from './runbook';
import { linksOfIssue, type RunbookLinkRow } from './runbook-links';
import { runbookLinkUrl } from './runbook-urls';

/** Telegram refuses a link whose host has no dot (http://localhost:3000) and fails the whole message: show the title alone then. */
function link(url: string, text: string): string {
  const host = URL.canParse(url) ? new URL(url).hostname : '';
  return host.includes('.') ? `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}
const safe = (text: string) => escapeHtml(scrubPii(text));

/**
 * The `/runbook <id>` answer as Telegram HTML lines: the best match, why it matched and whether it is linked in
 * GlitchTip; or "no runbook" with the closest candidates and what kept them out. Pure: the caller gathers the facts.
 */
export function runbookReplyLines(input: { issueId: string; outcome: MatchOutcome; links: readonly RunbookLinkRow[]; publicUrl: string }): string[] {
  const { issueId, outcome, publicUrl } = input;
  const id = escapeHtml(issueId);
  const [best, ...others] = outcome.matches;
  if (!best) {
    const lines = [`📖 No runbook matches issue ${id}.`];
    if (outcome.candidates.length === 0) return [...lines, 'None comes close.'];
    return [
      ...lines,
      '',
      '<b>Closest</b>',
      ...outcome.candidates.map((candidate) => `• ${link(runbookLinkUrl(publicUrl, candidate.runbook.name, issueId), candidate.runbook.title)}: ${safe(candidate.reason)}`),
    ];
  }
  const posted = input.links.find((row) => row.runbookPath === best.runbook.name && row.state === 'posted');
  const linked = posted
    ? 'Linked in a GlitchTip comment.'
    : best.runbook.autoLink
      ? 'Not linked in GlitchTip yet.'
      : 'Not linked automatically (auto_link: false).';
  return [
    `<b>📖 Runbook for issue ${id}</b>`,
    link(runbookLinkUrl(publicUrl, best.runbook.name, issueId), best.runbook.title),
    '',
    '<b>Why it matched</b>',
    ...best.why.map((reason) => `• ${safe(reason)}`),
    ...(best.runbook.priority !== 0 ? [`• priority ${best.runbook.priority}`] : []),
    '',
    linked,
    ...(others.length > 0 ? [`Also matching: ${others.map((match) => `<code>${escapeHtml(match.runbook.name)}</code>`).join(', ')}`] : []),
  ];
}

/** Facts from the alert Triage recorded, when the GlitchTip API cannot be asked. */
async function factsFromAlert(db: Database, issueId: string): Promise<IssueFacts | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.issueId, issueId));
  if (!row) return undefined;
  const culprit = typeof row.snapshot.culprit === 'string' ? row.snapshot.culprit : null;
  return { title: row.title, culprit, level: row.level, component: row.component, environment: row.environment };
}

/** Answers `/runbook <id>`: facts from GlitchTip when given, else from the recorded alert. */
export async function answerRunbookCommand(input: {
  db: Database;
  runbooks: readonly PreparedRunbook[];
  issueId: string;
  publicUrl: string;
  /** From the GlitchTip API; undefined when it is not configured or did not answer. */
  facts: IssueFacts | undefined;
}): Promise<string[]> {
  const facts = input.facts ?? (await factsFromAlert(input.db, input.issueId));
  if (!facts) return [`📖 Issue ${escapeHtml(input.issueId)} is unknown: GlitchTip did not describe it (no API, unreachable, or no such issue) and Triage never alerted it.`];
  if (input.runbooks.length === 0) return ['📖 No runbooks are loaded (RUNBOOKS_DIR is empty or unreadable).'];
  return runbookReplyLines({
    issueId: input.issueId,
    outcome: matchRunbooks(input.runbooks, facts),
    links: await linksOfIssue(input.db, input.issueId),
    publicUrl: input.publicUrl,
  });
}
