/** Text between tags in Telegram's HTML parse mode: only `&`, `<` and `>` must become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A double-quoted attribute value (`<a href="…">`): the text escapes plus `"`. */
export function escapeHtmlAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}
