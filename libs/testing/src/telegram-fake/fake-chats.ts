import { badRequest, reject } from './bot-api-replies';

export type FakeChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface FakeChatConfig {
  id: number;
  type: FakeChatType;
  isForum?: boolean;
  /** Forum topic ids that exist (message_thread_id values the chat accepts). */
  topics?: number[];
  /** The group was already upgraded to this supergroup id. */
  migratedTo?: number;
  username?: string;
  title?: string;
  /** Private chats: false means the user never started the bot, so it may not write first. Default true. */
  botStarted?: boolean;
}

export interface FakeChat {
  id: number;
  type: FakeChatType;
  isForum: boolean;
  topics: Set<number>;
  username?: string;
  title?: string;
  botStarted: boolean;
  blocked: boolean;
  migratedTo?: number;
}

/** The chats the fake knows, and the way Telegram refuses a bot call aimed at one. */
export class FakeChats {
  private readonly chats = new Map<number, FakeChat>();

  constructor(private readonly configured: FakeChatConfig[]) {
    this.reset();
  }

  reset(): void {
    this.chats.clear();
    for (const chat of this.configured) {
      this.chats.set(chat.id, {
        id: chat.id,
        type: chat.type,
        isForum: chat.isForum ?? false,
        topics: new Set(chat.topics ?? []),
        username: chat.username,
        title: chat.title,
        botStarted: chat.botStarted ?? true,
        blocked: false,
        migratedTo: chat.migratedTo,
      });
      if (chat.migratedTo !== undefined && !this.chats.has(chat.migratedTo)) this.addSupergroup(chat.migratedTo, chat.title);
    }
  }

  get(chatId: number): FakeChat | undefined {
    return this.chats.get(chatId);
  }

  addSupergroup(id: number, title?: string): void {
    this.chats.set(id, { id, type: 'supergroup', isForum: false, topics: new Set(), title, botStarted: true, blocked: false });
  }

  /** Finds the chat a bot call targets, refusing it as Telegram would: unknown, migrated, blocked, never started. */
  target(rawChatId: unknown): FakeChat {
    if (rawChatId === undefined || rawChatId === null || rawChatId === '') badRequest('chat_id is empty');
    const text = String(rawChatId).trim();
    let chat: FakeChat | undefined;
    if (text.startsWith('@')) chat = [...this.chats.values()].find((candidate) => candidate.username && `@${candidate.username}` === text);
    else if (/^-?\d+$/.test(text)) chat = this.chats.get(Number(text));
    if (!chat) return badRequest('chat not found');
    if (chat.migratedTo !== undefined) badRequest('group chat was upgraded to a supergroup chat', { migrate_to_chat_id: chat.migratedTo });
    if (chat.blocked) {
      const description =
        chat.type === 'private'
          ? 'bot was blocked by the user'
          : chat.type === 'channel'
            ? 'bot is not a member of the channel chat'
            : `bot was kicked from the ${chat.type} chat`;
      reject(403, `Forbidden: ${description}`);
    }
    if (chat.type === 'private' && !chat.botStarted) reject(403, "Forbidden: bot can't initiate conversation with a user");
    return chat;
  }

  /** The forum topic a call names, which must exist in a forum. */
  thread(chat: FakeChat, rawThreadId: unknown): number | undefined {
    if (rawThreadId === undefined || rawThreadId === '') return undefined;
    const threadId = Number(rawThreadId);
    if (!Number.isInteger(threadId) || !chat.isForum || !chat.topics.has(threadId)) badRequest('message thread not found');
    return threadId;
  }
}

export function isGroupLike(chat: FakeChat): boolean {
  return chat.type === 'group' || chat.type === 'supergroup';
}

/** The Chat object of the Bot API. */
export function chatObject(chat: FakeChat): Record<string, unknown> {
  const base: Record<string, unknown> = { id: chat.id, type: chat.type };
  if (chat.type === 'private') base.first_name = chat.title ?? `User ${chat.id}`;
  else base.title = chat.title ?? `Chat ${chat.id}`;
  if (chat.username) base.username = chat.username;
  if (chat.isForum) base.is_forum = true;
  return base;
}
