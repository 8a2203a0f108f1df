import { fieldLimits } from './alert-content';
import type { AlertView } from './alert-view';
import { formatCount, levelEmoji, unknownLevelEmoji } from './display-format';
import { bold, displayLine, italic, link, text, type MessageFragment } from './message-fragments';
import { composeMessage, telegramMessageLimit, type MessageBlock, type RenderedMessage } from './message-layout';
import { telegramTextLength } from './telegram-text-length';

export interface DigestOptions {
  /** Why these were folded into one message, e.g. "This chat is limited to 20 messages a minute." */
  chatBudgetNote?: string;
  maxLength?: number;
}

export interface RenderedDigest extends RenderedMessage {
  /** How many items have their own line; the rest are summed up in a final "…and N more". */
  listedCount: number;
}

const digestTitleLimit = 150;
/** A line is only squeezed into the remaining space while its title keeps at least this many code units. */
const shortestUsefulTitle = 20;

function itemTitle(view: AlertView): string {
  return view.kind === 'uptime' && view.uptime !== undefined ? view.uptime.monitorName : view.title;
}

function itemLine(view: AlertView, titleLimit: number): MessageFragment[] {
  const levelMark = view.level === null ? unknownLevelEmoji : levelEmoji[view.level];
  const emoji = view.kind === 'uptime' ? (view.uptime?.down ? '🚨' : '✅') : levelMark;
  const details = [
    ...(view.count !== undefined && String(view.count) !== '' ? [`${formatCount(view.count)}×`] : []),
    ...(view.environment ? [displayLine(view.environment, fieldLimits.metaValue)] : []),
  ];
  const done = actedOn(view);
  return [
    text(`• ${emoji} `),
    link(view.issueUrl, displayLine(itemTitle(view), titleLimit)),
    ...(details.length > 0 ? [text(` (${details.join(', ')})`)] : []),
    ...(done ? [text(' — '), italic(done)] : []),
  ];
}

const actedLabels = { resolved: '✅ Resolved', ignored: '🙈 Ignored', muted: '🔕 Muted' } as const;

/** Who did what from the digest's buttons (or elsewhere): "✅ Resolved by @ana". */
function actedOn(view: AlertView): string | undefined {
  const state = view.status?.state;
  if (state !== 'resolved' && state !== 'ignored' && state !== 'muted') return undefined;
  const by = view.status?.by ? ` by ${displayLine(view.status.by, 64)}` : '';
  return `${actedLabels[state]}${by}`;
}

function issuesWord(count: number): string {
  return count === 1 ? 'issue' : 'issues';
}

/**
 * One message standing for several alerts: a heading "12 more issues:", one linked line per issue while they fit in
 * `maxLength`, and "…and N more" for the rest.
 */
export function renderDigest(items: AlertView[], options: DigestOptions = {}): RenderedDigest {
  const maxLength = options.maxLength ?? telegramMessageLimit;
  const headingText = `${items.length} more ${issuesWord(items.length)}:`;
  const heading: MessageBlock = { name: 'heading', gapBefore: 'line', fragments: [bold(headingText)] };
  const note: MessageBlock[] = options.chatBudgetNote
    ? [{ name: 'note', gapBefore: 'paragraph', fragments: [italic(displayLine(options.chatBudgetNote, 300))] }]
    : [];
  const build = (lines: MessageFragment[][]): { html: string; plainText: string } => {
    const hidden = items.length - lines.length;
    const rest: MessageBlock[] = hidden > 0 ? [{ name: 'rest', gapBefore: 'line', fragments: [text(`…and ${hidden} more`)] }] : [];
    const listed = lines.map((fragments, index): MessageBlock => ({ name: `item-${index}`, gapBefore: 'line', fragments }));
    return composeMessage([heading, ...listed, ...rest, ...note]);
  };
  const overflow = (message: { html: string; plainText: string }) =>
    Math.max(telegramTextLength(message.html), message.plainText.length) - maxLength;
  const fits = (message: { html: string; plainText: string }) => overflow(message) <= 0;

  const lines: MessageFragment[][] = [];
  for (const item of items) {
    let line = itemLine(item, digestTitleLimit);
    const excess = overflow(build([...lines, line]));
    if (excess > 0) {
      // Squeeze the title into what is left; the "…and N more" line it replaces shrinks too, so re-check.
      const titleLimit = displayLine(itemTitle(item), digestTitleLimit).length - excess;
      if (titleLimit < shortestUsefulTitle) break;
      line = itemLine(item, titleLimit);
      if (!fits(build([...lines, line]))) break;
    }
    lines.push(line);
  }
  const message = build(lines);
  if (!fits(message)) throw new RangeError(`maxLength ${maxLength} is too small for a digest heading`);
  return {
    ...message,
    length: telegramTextLength(message.html),
    droppedBlocks: items.length > lines.length ? ['items'] : [],
    listedCount: lines.length,
  };
}
