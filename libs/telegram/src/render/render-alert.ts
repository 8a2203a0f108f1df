import { alertContent, type AlertContent } from './alert-content';
import type { AlertView } from './alert-view';
import { bold, italic, link, preformatted, text, type MessageFragment } from './message-fragments';
import { fitMessage, telegramMessageLimit, type FitState, type MessageBlock, type RenderedMessage } from './message-layout';
import { truncateText } from './truncate-text';

export interface RenderOptions {
  /** Defaults to Telegram's 4096. */
  maxLength?: number;
}

/**
 * The order in which blocks give way when the message is too long. The title and the link to the issue always stay
 * (the title is shortened instead), so the reader can always open the full issue.
 */
export const alertDropOrder = ['stack', 'tags', 'investigation', 'culprit', 'runbook', 'meta', 'status'] as const;
export type AlertBlockName = (typeof alertDropOrder)[number] | 'title' | 'links' | 'moreIssues';

const separator = ' · ';

function joined(parts: string[]): MessageFragment[] {
  return parts.length === 0 ? [] : [text(parts.join(separator))];
}

function metaFragments(content: AlertContent): MessageFragment[] {
  const lines = [content.placeLine, content.countLine, content.seenLine].filter((line) => line.length > 0);
  return lines.flatMap((line, index) => [...(index > 0 ? [text('\n')] : []), ...joined(line)]);
}

function tagFragments(content: AlertContent): MessageFragment[] {
  if (content.tags.length === 0) return [];
  const more = content.hiddenTagCount > 0 ? ` (+${content.hiddenTagCount} more)` : '';
  return [text(`🏷 ${content.tags.join(separator)}${more}`)];
}

function investigationFragments(content: AlertContent): MessageFragment[] {
  const investigation = content.investigation;
  if (investigation === undefined) return [];
  const details = investigation.url === undefined ? [] : [text(' '), link(investigation.url, 'details')];
  return [text('🔎 '), bold('Investigation:'), text(` ${investigation.summary}`), ...details];
}

function runbookFragments(content: AlertContent): MessageFragment[] {
  const runbook = content.runbook;
  return runbook === undefined ? [] : [text('📖 '), link(runbook.url, `Runbook: ${runbook.title}`)];
}

function linkFragments(content: AlertContent, somethingDropped: boolean): MessageFragment[] {
  const target = content.kind === 'uptime' ? 'monitor' : 'issue';
  const name = content.shortId === undefined ? target : `${target} ${content.shortId}`;
  return [link(content.issueUrl, somethingDropped ? `… see ${name}` : `Open ${name}`)];
}

/** "+2 more issues", linked to GlitchTip's issue list by the same rule as every link (a dotless host stays text). */
function moreIssuesFragments(content: AlertContent): MessageFragment[] {
  const more = content.moreIssues;
  if (more === undefined) return [];
  return [link(more.url, `+${more.count} more ${more.count === 1 ? 'issue' : 'issues'}`)];
}

export function alertBlocks(content: AlertContent, state: FitState): MessageBlock[] {
  const keep = (name: AlertBlockName, fragments: MessageFragment[]) => (state.dropped.has(name) ? [] : fragments);
  const title = truncateText(content.title, state.titleLimit);
  const blocks: Array<[AlertBlockName, MessageBlock['gapBefore'], MessageFragment[]]> = [
    ['title', 'line', [text(`${content.emoji} `), bold(title)]],
    ['culprit', 'line', content.culprit === undefined ? [] : [italic(content.culprit)]],
    ['status', 'line', content.status === undefined ? [] : [text(content.status)]],
    ['meta', 'line', metaFragments(content)],
    ['stack', 'paragraph', content.stack === undefined ? [] : [preformatted(content.stack)]],
    ['tags', 'paragraph', tagFragments(content)],
    ['investigation', 'paragraph', investigationFragments(content)],
    ['links', 'paragraph', linkFragments(content, state.dropped.size > 0)],
    ['moreIssues', 'line', moreIssuesFragments(content)],
    ['runbook', 'line', runbookFragments(content)],
  ];
  return blocks.map(([name, gapBefore, fragments]) => ({ name, gapBefore, fragments: keep(name, fragments) }));
}

/**
 * An alert for Telegram's HTML parse mode, within `maxLength` as Telegram measures it. Every value from the view is
 * PII-scrubbed, then escaped. Too long: blocks are dropped in `alertDropOrder` (the issue link then reads "… see issue"),
 * and if that is not enough the title text is shortened.
 */
export function renderAlert(view: AlertView, options: RenderOptions = {}): RenderedMessage {
  const content = alertContent(view);
  return fitMessage({
    maxLength: options.maxLength ?? telegramMessageLimit,
    dropOrder: alertDropOrder,
    build: (state) => ({ blocks: alertBlocks(content, state), titleLength: truncateText(content.title, state.titleLimit).length }),
  });
}
