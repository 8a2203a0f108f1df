// GlitchTip's AsyncLinkHeaderPagination (CONTRACT §2.2): bare-array body, X-Hits / X-Max-Hits, and a Link header
// that arrives wrapped in `{'...'}` because the server assigns a Python set to it.

export const defaultPageSize = 50;
export const maxPageSize = 100;
export const maxHits = 1000;

/** `limit`: absent or 0 -> 50, above 100 -> 100; undefined for a value GlitchTip rejects with 422. */
export function parseLimit(raw: string | null): number | undefined {
  if (raw === null || raw === '') return defaultPageSize;
  if (!/^\d+$/.test(raw)) return undefined;
  const limit = Number(raw);
  if (limit === 0) return defaultPageSize;
  return Math.min(limit, maxPageSize);
}

/** The real cursor is base64 of `o=<offset>&r=<reverse>&p=<position>`; the fake reads only the offset back. */
export function encodeCursor(offset: number, position: string | undefined, reverse = false): string {
  const params = new URLSearchParams();
  if (offset > 0) params.set('o', String(offset));
  if (reverse) params.set('r', '1');
  if (position !== undefined) params.set('p', position);
  return Buffer.from(params.toString()).toString('base64');
}

/** undefined for a cursor the fake did not make. */
export function decodeCursorOffset(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(cursor)) return undefined;
  const params = new URLSearchParams(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!params.has('p') && !params.has('o')) return undefined;
  const offset = Number(params.get('o') ?? '0');
  return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

export interface PaginateInput<T> {
  items: T[];
  limit: number;
  offset: number;
  /** Absolute URL of this request, used for the Link entries. */
  requestUrl: URL;
  position: (item: T) => string;
}

export function paginate<T>({ items, limit, offset, requestUrl, position }: PaginateInput<T>): Page<T> {
  const pageItems = items.slice(offset, offset + limit);
  const hasNext = offset + limit < items.length;
  const hasPrevious = offset > 0;
  const links: string[] = [];
  if (hasPrevious) {
    const cursor = encodeCursor(Math.max(0, offset - limit), position(items[offset]!), true);
    links.push(`<${withCursor(requestUrl, cursor)}>; rel="previous"; results="true"; cursor="${cursor}"`);
  } else {
    links.push(`<${requestUrl.toString()}>; rel="previous"; results="false"`);
  }
  if (hasNext) {
    const cursor = encodeCursor(offset + limit, position(pageItems[pageItems.length - 1]!));
    links.push(`<${withCursor(requestUrl, cursor)}>; rel="next"; results="true"; cursor="${cursor}"`);
  } else {
    links.push(`<${requestUrl.toString()}>; rel="next"; results="false"`);
  }
  return {
    items: pageItems,
    headers: {
      'X-Hits': String(Math.min(items.length, maxHits)),
      'X-Max-Hits': String(maxHits),
      Link: `{'${links.join(', ')}'}`,
    },
  };
}

function withCursor(requestUrl: URL, cursor: string): string {
  const url = new URL(requestUrl);
  url.searchParams.set('cursor', cursor);
  url.searchParams.sort();
  return url.toString();
}
