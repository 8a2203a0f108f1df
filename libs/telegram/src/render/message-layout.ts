import { fragmentsToHtml, fragmentsToPlainText, type MessageFragment } from './message-fragments';
import { telegramTextLength } from './telegram-text-length';

/** Telegram's limit for sendMessage/editMessageText text, after entity parsing. */
export const telegramMessageLimit = 4096;

export interface MessageBlock {
  name: string;
  fragments: MessageFragment[];
  /** Separation from the previous block: a line break, or an empty line. */
  gapBefore: 'line' | 'paragraph';
}

export interface RenderedMessage {
  /** For parse_mode HTML. */
  html: string;
  /** Same content without markup, link targets written out: the fallback when Telegram rejects the HTML. */
  plainText: string;
  /** Length of `html` as Telegram counts it (visible text, UTF-16 code units). */
  length: number;
  /** Names of the blocks left out to fit, in the order they were dropped. */
  droppedBlocks: string[];
}

export function composeMessage(blocks: MessageBlock[]): { html: string; plainText: string } {
  let html = '';
  let plainText = '';
  for (const block of blocks) {
    if (block.fragments.length === 0) continue;
    const gap = html === '' ? '' : block.gapBefore === 'line' ? '\n' : '\n\n';
    html += gap + fragmentsToHtml(block.fragments);
    plainText += gap + fragmentsToPlainText(block.fragments);
  }
  return { html, plainText };
}

export interface FitState {
  dropped: ReadonlySet<string>;
  /** Most UTF-16 code units the title may take; Infinity until blocks alone could not make room. */
  titleLimit: number;
}

export interface FitPlan {
  maxLength: number;
  /** Blocks that may be left out, first to go first. */
  dropOrder: readonly string[];
  /** Builds the blocks for a state; reports the title length it used so the fitter knows how much it can cut. */
  build(state: FitState): { blocks: MessageBlock[]; titleLength: number };
}

/**
 * Drops whole blocks in `dropOrder`, then shortens the title, until both the HTML (as Telegram measures it) and the
 * plain-text fallback fit in `maxLength`. Cutting never happens inside markup: only the title's text is shortened.
 */
export function fitMessage(plan: FitPlan): RenderedMessage {
  const dropped = new Set<string>();
  let titleLimit = Number.POSITIVE_INFINITY;
  for (;;) {
    const { blocks, titleLength } = plan.build({ dropped, titleLimit });
    const { html, plainText } = composeMessage(blocks);
    const length = telegramTextLength(html);
    const overflow = Math.max(length, plainText.length) - plan.maxLength;
    if (overflow <= 0) return { html, plainText, length, droppedBlocks: [...dropped] };
    const shown = new Set(blocks.filter((block) => block.fragments.length > 0).map((block) => block.name));
    const next = plan.dropOrder.find((name) => !dropped.has(name) && shown.has(name));
    if (next !== undefined) {
      dropped.add(next);
      continue;
    }
    if (titleLength === 0) {
      throw new RangeError(`maxLength ${plan.maxLength} is too small for the parts of the message that cannot be left out`);
    }
    titleLimit = Math.max(0, titleLength - overflow);
  }
}
