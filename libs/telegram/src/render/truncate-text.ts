export const ellipsis = '…';

/**
 * At most `maxUnits` UTF-16 code units, cut at a code point boundary (never between the halves of a surrogate pair)
 * and ending with `…` when something was cut. Whitespace before the cut is dropped.
 */
export function truncateText(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  if (maxUnits < ellipsis.length) return '';
  let end = maxUnits - ellipsis.length;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end).trimEnd() + ellipsis;
}
