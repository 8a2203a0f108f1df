export { TelegramBotApi, type TelegramBotApiOptions } from './telegram-bot-api';
export {
  TelegramApiError,
  classifyTelegramError,
  isTelegramApiError,
  type TelegramErrorKind,
  type TelegramErrorResponse,
  type TelegramFailureClassification,
} from './telegram-api-error';
export {
  ChatPacer,
  defaultChatPacerLimits,
  isGroupChat,
  type ChatPacerLimits,
  type ChatPacerOptions,
  type PaceBudget,
  type PaceDecision,
} from './chat-pacer';
export type {
  AnswerCallbackQueryParams,
  BotCommand,
  BotCommandScope,
  Chat,
  ChatId,
  EditMessageReplyMarkupParams,
  EditMessageTextParams,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  LinkPreviewOptions,
  Message,
  MessageEntity,
  ParseMode,
  PhotoSize,
  ReplyParameters,
  SendMessageParams,
  SendPhotoParams,
  SetMyCommandsParams,
  User,
} from './bot-api-types';
