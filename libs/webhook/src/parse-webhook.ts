import type { AlertSignal } from './alert-signal';
import { signalFromItem } from './alert-item';
import { describeJsonType, isJsonObject, WebhookRejection, type JsonObject } from './body-shape';
import { readDiscordWebhook } from './formats/discord-webhook';
import type { FormatReading } from './formats/format-reading';
import { readGenericWebhook } from './formats/generic-webhook';
import { readGoogleChatWebhook } from './formats/google-chat-webhook';

/** GlitchTip's alert recipient types that post JSON (CONTRACT 1.3 and 1.4); 'webhook' is the Slack-style one. */
export const webhookFormats = ['webhook', 'discord', 'googlechat'] as const;
export type WebhookFormat = (typeof webhookFormats)[number];

export interface ParseWebhookOptions {
  /** Which formats to accept; all by default. */
  formats?: readonly WebhookFormat[];
}

export type ParsedWebhook =
  | {
      ok: true;
      signals: AlertSignal[];
      format: WebhookFormat;
      /** The N of "(N issues)" when the body states it (it counts issues left out of the body), else the signals. */
      totalIssues: number;
    }
  | { ok: false; reason: string };

// The key that marks each format, tried in this order.
const formatMarkers: Array<{ format: WebhookFormat; key: string; read: (body: JsonObject) => FormatReading }> = [
  { format: 'googlechat', key: 'cardsV2', read: readGoogleChatWebhook },
  { format: 'discord', key: 'embeds', read: readDiscordWebhook },
  { format: 'webhook', key: 'attachments', read: readGenericWebhook },
];

/** Turns any GlitchTip alert body into the issues and monitors it names, or says precisely why it is not one. */
export function parseGlitchTipWebhook(body: unknown, options: ParseWebhookOptions = {}): ParsedWebhook {
  const accepted = options.formats ?? webhookFormats;
  if (!isJsonObject(body)) return { ok: false, reason: `body must be a JSON object, got ${describeJsonType(body)}` };
  const marker = formatMarkers.find(({ key }) => key in body);
  if (!marker) {
    return { ok: false, reason: 'not a GlitchTip alert: the body has no attachments (webhook), embeds (Discord) or cardsV2 (Google Chat)' };
  }
  if (!accepted.includes(marker.format)) {
    return { ok: false, reason: `${marker.format} bodies are not accepted here (accepted: ${accepted.join(', ')})` };
  }
  try {
    const reading = marker.read(body);
    const signals = reading.items.map(signalFromItem);
    return {
      ok: true,
      signals,
      format: marker.format,
      totalIssues: Math.max(reading.statedIssueCount ?? 0, signals.length),
    };
  } catch (error) {
    if (error instanceof WebhookRejection) return { ok: false, reason: `not a GlitchTip alert: ${error.reason}` };
    throw error;
  }
}
