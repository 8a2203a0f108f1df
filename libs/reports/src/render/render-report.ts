import { scrubPii } from '@triage/pii';
import { escapeHtml, escapeHtmlAttribute, htmlToVisibleText, truncateText } from '@triage/telegram';
import type { Change, DailyReport, IssueLine, Priority } from '../aggregate/report-types';

export interface RenderedReport {
  html: string;
  plainText: string;
  /** A short line for the chart's caption. */
  headline: string;
}

const priorityMark: Record<Priority, string> = { P1: '🔴', P2: '🟠', P3: '🟢' };
const maxListed = 5;
const maxComponents = 12;
const titleUnits = 80;

/** Telegram refuses http(s) links whose host has no dot; those issues are named without a link. */
function linkable(url: string | undefined): url is string {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname.includes('.');
  } catch {
    return false;
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatChange(change: Change): string {
  const sign = change.delta > 0 ? '+' : change.delta < 0 ? '−' : '±';
  const percent = change.percent === undefined ? '' : `, ${change.percent > 0 ? '+' : change.percent < 0 ? '−' : '±'}${Math.abs(change.percent)}%`;
  return `${sign}${Math.abs(change.delta)}${percent} vs the day before`;
}

function issueHtml(line: IssueLine, withEvents: boolean): string {
  const name = escapeHtml(line.shortId ?? `#${line.id}`);
  const named = linkable(line.link) ? `<a href="${escapeHtmlAttribute(line.link)}">${name}</a>` : name;
  const title = escapeHtml(truncateText(scrubPii(line.title.replace(/\s+/g, ' ').trim()), titleUnits));
  const events = withEvents ? ` — <b>${line.events}</b> ${line.events === 1 ? 'event' : 'events'}` : '';
  return `${named} ${title}${events} <i>[${escapeHtml(line.component)}]</i>`;
}

function issueList(heading: string, lines: IssueLine[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, maxListed).map((line) => `• ${issueHtml(line, true)}`);
  const more = lines.length > maxListed ? [`• …and ${lines.length - maxListed} more`] : [];
  return ['', `<b>${heading}</b> (${lines.length})`, ...shown, ...more];
}

export function renderReport(report: DailyReport): RenderedReport {
  const dayLabel = `${report.date}${report.timeZone === 'UTC' ? ' UTC' : ` (${report.timeZone})`}`;
  if (report.empty) {
    const html = `✅ No errors yesterday — ${escapeHtml(dayLabel)}.`;
    return { html, plainText: htmlToVisibleText(html), headline: htmlToVisibleText(html) };
  }
  const headline = `📊 Daily report ${dayLabel}: ${plural(report.events.now, 'event')}, ${plural(report.issues.now, 'issue')}`;
  const lines = [
    `📊 <b>Daily report — ${escapeHtml(dayLabel)}</b>`,
    `Events: <b>${report.events.now}</b> (${formatChange(report.events)})`,
    `Issues: <b>${report.issues.now}</b> (${formatChange(report.issues)})`,
    `Unresolved P1 issues: <b>${report.unresolvedP1}</b>`,
  ];
  if (report.components.length > 0) {
    lines.push('', '<b>By component</b>');
    for (const component of report.components.slice(0, maxComponents)) {
      lines.push(`${priorityMark[component.priority]} ${component.priority} ${escapeHtml(truncateText(component.component, 40))} — ${plural(component.events, 'event')}, ${plural(component.issues, 'issue')}`);
    }
    const rest = report.components.slice(maxComponents);
    if (rest.length > 0) lines.push(`…and ${plural(rest.length, 'more component')} (${plural(rest.reduce((sum, component) => sum + component.events, 0), 'event')})`);
  }
  if (report.topIssues.length > 0) {
    lines.push('', '<b>Top issues</b>');
    report.topIssues.forEach((line, index) => lines.push(`${index + 1}. ${issueHtml(line, true)}`));
  }
  lines.push(...issueList('New', report.newIssues), ...issueList('Regressed', report.regressedIssues));
  const { alertsSent, investigations, runbooksLinked, telegramActions } = report.triage;
  lines.push(
    '',
    `<b>Triage</b>: ${plural(alertsSent, 'alert')} sent, ${plural(investigations, 'investigation')}, ${plural(runbooksLinked, 'runbook')} linked, ${plural(telegramActions, 'action')} from Telegram`,
  );
  if (report.quickActions.length > 0) lines.push(`<b>Quick actions</b>: ${report.quickActions.map(escapeHtml).join(' · ')}`);
  for (const caveat of report.caveats) lines.push(`<i>${escapeHtml(caveat)}</i>`);
  const html = lines.join('\n');
  return { html, plainText: htmlToVisibleText(html), headline };
}
