/**
 * The part of the Telegram Bot API that Triage calls, with the Bot API's own field names so its documentation
 * (https://core.telegram.org/bots/api) applies unchanged.
 */

/** A numeric chat id (negative for groups, -100… for supergroups and channels) or "@channelusername". */
export type ChatId = number | string;

export type ParseMode = 'HTML' | 'MarkdownV2';

export interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface Chat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
  is_forum?: boolean;
}

export interface MessageEntity {
  type: string;
  /** UTF-16 code units. */
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
  user?: User;
}

export interface InlineKeyboardButton {
  text: string;
  /** 1-64 bytes of UTF-8. */
  callback_data?: string;
  /** http(s) with a dotted host, or tg://. */
  url?: string;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface Message {
  message_id: number;
  message_thread_id?: number;
  from?: User;
  chat: Chat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  reply_markup?: InlineKeyboardMarkup;
}

export interface LinkPreviewOptions {
  is_disabled?: boolean;
  url?: string;
  prefer_small_media?: boolean;
  prefer_large_media?: boolean;
  show_above_text?: boolean;
}

export interface ReplyParameters {
  message_id: number;
  chat_id?: ChatId;
  allow_sending_without_reply?: boolean;
}

export interface BotCommand {
  /** 1-32 characters: lowercase letters, digits and underscores. */
  command: string;
  /** 1-256 characters. */
  description: string;
}

export type BotCommandScope =
  | { type: 'default' }
  | { type: 'all_private_chats' }
  | { type: 'all_group_chats' }
  | { type: 'all_chat_administrators' }
  | { type: 'chat'; chat_id: ChatId }
  | { type: 'chat_administrators'; chat_id: ChatId }
  | { type: 'chat_member'; chat_id: ChatId; user_id: number };

export interface SendMessageParams {
  chat_id: ChatId;
  /** 1-4096 characters after entity parsing. */
  text: string;
  parse_mode?: ParseMode;
  entities?: MessageEntity[];
  /** Forum topic. */
  message_thread_id?: number;
  link_preview_options?: LinkPreviewOptions;
  disable_notification?: boolean;
  protect_content?: boolean;
  reply_parameters?: ReplyParameters;
  reply_markup?: InlineKeyboardMarkup;
}

export interface EditMessageTextParams {
  chat_id: ChatId;
  message_id: number;
  text: string;
  parse_mode?: ParseMode;
  entities?: MessageEntity[];
  link_preview_options?: LinkPreviewOptions;
  /** Omitting it removes the message's keyboard. */
  reply_markup?: InlineKeyboardMarkup;
}

export interface EditMessageReplyMarkupParams {
  chat_id: ChatId;
  message_id: number;
  /** Omitting it removes the keyboard. */
  reply_markup?: InlineKeyboardMarkup;
}

export interface AnswerCallbackQueryParams {
  callback_query_id: string;
  /** 0-200 characters. */
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
}

export interface SendPhotoParams {
  chat_id: ChatId;
  /** Image bytes to upload (sent as multipart), or a file_id of a photo Telegram already has. */
  photo: Buffer | string;
  /** Name of the uploaded file; default "photo.png". */
  filename?: string;
  /** 0-1024 characters after entity parsing. */
  caption?: string;
  parse_mode?: ParseMode;
  caption_entities?: MessageEntity[];
  message_thread_id?: number;
  disable_notification?: boolean;
  protect_content?: boolean;
  reply_markup?: InlineKeyboardMarkup;
}

export interface SetMyCommandsParams {
  commands: BotCommand[];
  scope?: BotCommandScope;
  language_code?: string;
}
