import { alertContent } from './alert-content';
import type { AlertView } from './alert-view';
import { text } from './message-fragments';
import { fitMessage, telegramMessageLimit, type MessageBlock, type RenderedMessage } from './message-layout';
import { alertBlocks, type RenderOptions } from './render-alert';
import { truncateText } from './truncate-text';

const kept = new Set(['title', 'meta', 'links']);

/** "🔔 Mute ended" followed by the headline, counts and link: the alert's short form. */
export function renderMuteEnded(view: AlertView, options: RenderOptions = {}): RenderedMessage {
  const content = { ...alertContent(view), status: undefined };
  return fitMessage({
    maxLength: options.maxLength ?? telegramMessageLimit,
    dropOrder: ['meta'],
    build: (state) => {
      const heading: MessageBlock = { name: 'heading', gapBefore: 'line', fragments: [text('🔔 Mute ended')] };
      const blocks = alertBlocks(content, state).filter((block) => kept.has(block.name));
      return { blocks: [heading, ...blocks], titleLength: truncateText(content.title, state.titleLimit).length };
    },
  });
}
