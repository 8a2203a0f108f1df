import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface BotApiRequest {
  /** JSON bodies keep their types; query, form and multipart fields arrive as strings, as Telegram receives them. */
  params: Record<string, unknown>;
  files: Record<string, UploadedFile>;
}

export class BodyParseError extends Error {}

const maxBodyBytes = 60 * 1024 * 1024;

/** Reads a Bot API request the ways Telegram accepts one: query string, JSON, urlencoded form or multipart form. */
export async function readBotApiRequest(request: IncomingMessage, url: URL): Promise<BotApiRequest> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams.entries());
  const files: Record<string, UploadedFile> = {};
  const body = await readBody(request);
  if (body.length === 0) return { params, files };
  const contentType = request.headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new BodyParseError("Bad Request: can't parse JSON object");
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new BodyParseError("Bad Request: can't parse JSON object");
    Object.assign(params, parsed);
  } else if (mediaType === 'application/x-www-form-urlencoded') {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8')).entries()));
  } else if (mediaType === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    if (!boundary) throw new BodyParseError('Bad Request: multipart boundary is missing');
    const parts = parseMultipart(body, boundary[1] ?? boundary[2]!);
    for (const part of parts) {
      if (part.filename !== undefined) files[part.name] = { filename: part.filename, contentType: part.contentType, data: part.data };
      else params[part.name] = part.data.toString('utf8');
    }
  } else {
    throw new BodyParseError(`Bad Request: unsupported Content-Type "${mediaType}"`);
  }
  return { params, files };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BodyParseError('Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

interface MultipartPart {
  name: string;
  filename?: string;
  contentType: string;
  data: Buffer;
}

function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw new BodyParseError('Bad Request: malformed multipart body');
  while (true) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') break;
    if (body.subarray(position, position + 2).toString() === '\r\n') position += 2;
    const next = body.indexOf(delimiter, position);
    if (next < 0) throw new BodyParseError('Bad Request: malformed multipart body');
    // The part's content ends with the CRLF that precedes the next delimiter.
    const part = body.subarray(position, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new BodyParseError('Bad Request: malformed multipart part');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new BodyParseError('Bad Request: multipart part without a name');
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'text/plain';
    parts.push({ name, filename, contentType, data: Buffer.from(part.subarray(headerEnd + 4)) });
    position = next;
  }
  return parts;
}
