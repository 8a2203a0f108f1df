import { checkTelegramLink } from './check-link';

export interface FakeInlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [field: string]: unknown;
}

export interface FakeInlineKeyboard {
  inline_keyboard: FakeInlineButton[][];
}

export type ReplyMarkupCheck =
  | { ok: true; markup: FakeInlineKeyboard | undefined }
  /** `description` is the full Telegram description, "Bad Request: …". */
  | { ok: false; description: string };

const actionFields = [
  'callback_data',
  'url',
  'login_url',
  'web_app',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];
const maxButtons = 100;

/**
 * Validates an inline keyboard as Telegram does (the fake supports no other keyboard kind, which alerts never use).
 * `raw` is the parameter as received: an object from a JSON body or a JSON string from a form. An empty keyboard is
 * accepted and means "no markup", as on Telegram.
 */
export function checkReplyMarkup(raw: unknown): ReplyMarkupCheck {
  if (raw === undefined || raw === '') return { ok: true, markup: undefined };
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, description: "Bad Request: can't parse reply keyboard markup JSON object" };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, description: "Bad Request: can't parse reply keyboard markup JSON object" };
  }
  const keyboard = (value as { inline_keyboard?: unknown }).inline_keyboard;
  if (keyboard === undefined) {
    return { ok: false, description: 'Bad Request: the fake supports only inline keyboards (reply_markup.inline_keyboard)' };
  }
  if (!Array.isArray(keyboard) || !keyboard.every((row) => Array.isArray(row))) {
    return { ok: false, description: 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays' };
  }
  const rows = keyboard as unknown[][];
  if (rows.flat().length > maxButtons) return { ok: false, description: 'Bad Request: REPLY_MARKUP_TOO_LONG' };
  for (const row of rows) {
    if (row.length === 0) return { ok: false, description: "Bad Request: can't parse inline keyboard button: keyboard row must be non-empty" };
    for (const button of row) {
      const problem = buttonProblem(button);
      if (problem) return { ok: false, description: problem };
    }
  }
  if (rows.length === 0) return { ok: true, markup: undefined };
  return { ok: true, markup: { inline_keyboard: rows as FakeInlineButton[][] } };
}

function buttonProblem(button: unknown): string | undefined {
  if (button === null || typeof button !== 'object' || Array.isArray(button)) {
    return "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object";
  }
  const fields = button as Record<string, unknown>;
  if (typeof fields.text !== 'string') return 'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String';
  if (fields.text.trim() === '') return 'Bad Request: BUTTON_TEXT_INVALID';
  const actions = actionFields.filter((field) => fields[field] !== undefined);
  if (actions.length === 0) return "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
  if (actions.length > 1) return "Bad Request: can't parse inline keyboard button: a button must have exactly one action field";
  if (fields.callback_data !== undefined) {
    if (typeof fields.callback_data !== 'string') return 'Bad Request: can\'t parse inline keyboard button: Field "callback_data" must be of type String';
    const bytes = Buffer.byteLength(fields.callback_data, 'utf8');
    if (bytes < 1 || bytes > 64) return 'Bad Request: BUTTON_DATA_INVALID';
  }
  if (fields.url !== undefined) {
    if (typeof fields.url !== 'string') return 'Bad Request: can\'t parse inline keyboard button: Field "url" must be of type String';
    const link = checkTelegramLink(fields.url);
    if (!link.ok) return `Bad Request: inline keyboard button URL '${fields.url}' is invalid: ${link.reason}`;
  }
  return undefined;
}

/** The callback_data values of a keyboard, to check that a pressed button exists. */
export function callbackDataOf(markup: FakeInlineKeyboard | undefined): string[] {
  return (markup?.inline_keyboard ?? []).flat().flatMap((button) => (typeof button.callback_data === 'string' ? [button.callback_data] : []));
}
