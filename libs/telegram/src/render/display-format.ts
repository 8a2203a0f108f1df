import type { AlertLevel } from './alert-view';

export const levelEmoji: Record<AlertLevel, string> = {
  fatal: '💀',
  error: '🔴',
  warning: '🟠',
  info: '🔵',
  debug: '⚪',
  sample: '⚪',
};
export const unknownLevelEmoji = '❗';

/** `2024-05-01 10:00 UTC` for an ISO timestamp; anything unparsable is returned unchanged. */
export function formatTimestamp(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return value;
  const iso = new Date(time).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `12,345` for counts given as numbers or numeric strings; other strings unchanged. */
export function formatCount(value: number | string): string {
  const digits = String(value).trim();
  if (!/^\d+$/.test(digits)) return digits;
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}
