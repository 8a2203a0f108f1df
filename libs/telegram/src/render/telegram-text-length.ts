const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** The text Telegram keeps from an HTML-mode message: tags removed, the four named and all numeric entities decoded. */
export function htmlToVisibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(lt|gt|amp|quot));/g, (entity, hex?: string, decimal?: string, name?: string) => {
      if (name !== undefined) return namedEntities[name] ?? entity;
      const codePoint = Number.parseInt(hex ?? decimal ?? '', hex !== undefined ? 16 : 10);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    });
}

/**
 * Message length as Telegram counts it for the 4096 limit: after entity parsing, in UTF-16 code units (so an emoji
 * outside the BMP counts 2).
 */
export function telegramTextLength(html: string): number {
  return htmlToVisibleText(html).length;
}
