export {
  createTelegramFake,
  type TelegramFake,
  type TelegramFakeOptions,
  type FakeMessage,
  type FakePhoto,
  type FakeCallbackQuery,
  type RecordedCall,
  type InjectOptions,
} from './telegram-fake';
export type { FakeChatConfig, FakeChatType } from './fake-chats';
export type { FakeRates } from './flood-control';
export type { BotApiReply, BotApiErrorBody } from './bot-api-replies';
export { parseTelegramHtml, type ParsedEntity, type HtmlParseResult } from './html-entities';
export { checkTelegramLink, type LinkCheck } from './check-link';
export { checkReplyMarkup, type FakeInlineKeyboard, type FakeInlineButton } from './reply-markup';
export type { FakeUpdate } from './update-queue';
