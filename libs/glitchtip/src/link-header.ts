// GlitchTip sets the Link header from a Python set literal, so it arrives as `{'<url>; rel="next"; ...'}`
// (CONTRACT §2.2). A regex over the raw text works for both that and a plain RFC 8288 header.
const nextLinkPattern = /<([^>]*)>;\s*rel="next";\s*results="true"(?:;\s*cursor="([^"]*)")?/;

/** The cursor of the next page, or undefined on the last page (results="false" or no header). */
export function parseNextCursor(linkHeader: string | string[] | undefined): string | undefined {
  const text = Array.isArray(linkHeader) ? linkHeader.join(', ') : linkHeader;
  if (!text) return undefined;
  const match = nextLinkPattern.exec(text);
  if (!match) return undefined;
  const [, url, cursorAttribute] = match;
  if (cursorAttribute) return cursorAttribute;
  try {
    return new URL(url ?? '', 'http://placeholder.invalid').searchParams.get('cursor') ?? undefined;
  } catch {
    return undefined;
  }
}
