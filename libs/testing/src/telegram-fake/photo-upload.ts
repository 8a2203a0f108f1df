import { badRequest } from './bot-api-replies';

export interface PhotoInfo {
  format: 'png' | 'jpeg' | 'gif' | 'webp';
  /** Known for PNG (read from its header); other formats report 0. */
  width: number;
  height: number;
  size: number;
}

const maxPhotoBytes = 10 * 1024 * 1024;

/** Checks an uploaded photo the way Telegram refuses one: empty, too big, not an image, or impossible dimensions. */
export function inspectPhoto(data: Buffer): PhotoInfo {
  if (data.length === 0) badRequest('file must be non-empty');
  if (data.length > maxPhotoBytes) badRequest('file is too big');
  const format = detectFormat(data);
  if (!format) badRequest('IMAGE_PROCESS_FAILED');
  let width = 0;
  let height = 0;
  if (format === 'png') {
    if (data.length < 24) badRequest('IMAGE_PROCESS_FAILED');
    width = data.readUInt32BE(16);
    height = data.readUInt32BE(20);
    // Telegram: width + height at most 10000, aspect ratio at most 20.
    if (width === 0 || height === 0 || width + height > 10_000 || Math.max(width / height, height / width) > 20) {
      badRequest('PHOTO_INVALID_DIMENSIONS');
    }
  }
  return { format, width, height, size: data.length };
}

function detectFormat(data: Buffer): PhotoInfo['format'] | undefined {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return undefined;
}
