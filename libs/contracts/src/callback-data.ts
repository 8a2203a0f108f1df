/**
 * `callback_data` of alert buttons: `v1|<action code>|<issue id>[|<hours>]`, e.g. `v1|r|123456`, `v1|m|123456|4`.
 * Telegram allows 1-64 bytes; the longest form (20-digit id, 4-digit hours) is 30 ASCII bytes. The version prefix lets
 * a later format coexist with buttons already sitting in chats: an unknown version decodes to an error, not a guess.
 */
export const callbackVersion = 'v1';
export const callbackDataMaxBytes = 64;
export const maxMuteHours = 8760;

const actionCodes = {
  investigate: 'i',
  resolve: 'r',
  reopen: 'o',
  ignore: 'g',
  mute: 'm',
  unmute: 'u',
  /** "I am on it": the first human action on an alert (outcome metrics, issue 9). */
  acknowledge: 'a',
} as const;

export type CallbackAction = keyof typeof actionCodes;

export type AlertCallback =
  | { action: Exclude<CallbackAction, 'mute'>; issueId: string }
  | { action: 'mute'; issueId: string; hours: number };

/**
 * Buttons that act on the message they sit on rather than on one issue: `v1|<code>|<hours>`. The issues are found from
 * the message (a storm digest's rows), so the data stays small whatever the digest lists.
 */
const messageActionCodes = {
  /** A digest's "Mute all 1h": mutes every issue of the digest that has no row of buttons of its own. */
  'mute-rest': 'mr',
} as const;

export type MessageCallbackAction = keyof typeof messageActionCodes;
export type MessageCallback = { action: 'mute-rest'; hours: number };

export type DecodedCallback = AlertCallback | MessageCallback | { error: string };

const messageActionsByCode = new Map<string, MessageCallbackAction>(
  Object.entries(messageActionCodes).map(([action, code]) => [code, action as MessageCallbackAction]),
);

export function isMessageCallback(decoded: DecodedCallback): decoded is MessageCallback {
  return 'action' in decoded && decoded.action === 'mute-rest';
}

export function encodeMessageCallback(callback: MessageCallback): string {
  if (!isValidHours(callback.hours)) throw new RangeError(`mute hours must be an integer from 1 to ${maxMuteHours}, got ${callback.hours}`);
  return `${callbackVersion}|${messageActionCodes[callback.action]}|${callback.hours}`;
}

const utf8 = new TextEncoder();

const actionsByCode = new Map<string, CallbackAction>(
  Object.entries(actionCodes).map(([action, code]) => [code, action as CallbackAction]),
);

/** GlitchTip issue ids are Postgres bigints: at most 19 digits; 20 leaves room for any unsigned 64-bit id. */
const issueIdPattern = /^[1-9]\d{0,19}$/;

function isValidHours(hours: number): boolean {
  return Number.isInteger(hours) && hours >= 1 && hours <= maxMuteHours;
}

export function encodeCallback(callback: AlertCallback): string {
  if (!issueIdPattern.test(callback.issueId)) {
    throw new RangeError(`issue id must be 1-20 digits without a leading zero, got "${callback.issueId}"`);
  }
  const head = `${callbackVersion}|${actionCodes[callback.action]}|${callback.issueId}`;
  if (callback.action !== 'mute') return head;
  if (!isValidHours(callback.hours)) {
    throw new RangeError(`mute hours must be an integer from 1 to ${maxMuteHours}, got ${callback.hours}`);
  }
  return `${head}|${callback.hours}`;
}

export function decodeCallback(data: string): DecodedCallback {
  if (utf8.encode(data).length > callbackDataMaxBytes) return { error: 'callback data longer than 64 bytes' };
  const parts = data.split('|');
  const [version, code, issueId, hoursText] = parts;
  if (parts.length < 3 || version === undefined || !/^v\d+$/.test(version)) return { error: 'not an alert button' };
  if (version !== callbackVersion) return { error: `unknown callback version ${version}` };
  const messageAction = code === undefined ? undefined : messageActionsByCode.get(code);
  if (messageAction !== undefined) {
    if (parts.length !== 3 || !/^\d{1,4}$/.test(issueId ?? '') || !isValidHours(Number(issueId))) return { error: 'mute needs hours' };
    return { action: messageAction, hours: Number(issueId) };
  }
  const action = code === undefined ? undefined : actionsByCode.get(code);
  if (action === undefined) return { error: `unknown action code "${code ?? ''}"` };
  if (issueId === undefined || !issueIdPattern.test(issueId)) return { error: 'invalid issue id' };
  if (action !== 'mute') return parts.length === 3 ? { action, issueId } : { error: `unexpected fields after the issue id` };
  if (parts.length !== 4 || hoursText === undefined || !/^\d{1,4}$/.test(hoursText)) return { error: 'mute needs hours' };
  const hours = Number(hoursText);
  if (!isValidHours(hours)) return { error: `mute hours must be from 1 to ${maxMuteHours}` };
  return { action, issueId, hours };
}
