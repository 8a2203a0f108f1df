import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { createLogger, type Logger } from '@triage/logger';
import { createTelegramFake } from '@triage/testing';
import { TelegramBotApi } from './telegram-bot-api';
import { TelegramApiError, type TelegramErrorKind } from './telegram-api-error';

const token = '123456:TRANSPORT-token-abcdefghijklmnopqrstuvw';
const privateChat = 111;
const group = -222;
const migratedGroup = -333;
const forum = -100444;

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ name: 'telegram-test', level: 'debug', destination: { write: (line: string) => lines.push(line) } });
  return { logger, lines };
}

async function failureOf(promise: Promise<unknown>): Promise<TelegramApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TelegramApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

// A 1x1 PNG header is all the fake reads; the bytes after it do not matter.
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]), Buffer.alloc(13)]);

describe('TelegramBotApi against the Telegram fake', () => {
  const fake = createTelegramFake({
    token,
    chats: [
      { id: privateChat, type: 'private' },
      { id: group, type: 'group' },
      { id: migratedGroup, type: 'group', migratedTo: -100333 },
      { id: forum, type: 'supergroup', isForum: true, topics: [5] },
    ],
    rates: { perChatPerSecond: 1000, perChatBurst: 1000, perGroupPerMinute: 1000, globalPerSecond: 1000 },
  });
  const log = capturingLogger();
  let api: TelegramBotApi;

  beforeAll(async () => {
    await fake.start();
    api = new TelegramBotApi({ apiRoot: `${fake.url}/`, token, logger: log.logger });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('sends, edits and answers, returning Telegram results', async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({ id: 123456, is_bot: true });

    const sent = await api.sendMessage({
      chat_id: forum,
      message_thread_id: 5,
      text: '<b>TypeError</b> in api',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Resolve', callback_data: 'r:1' }]] },
    });
    expect(sent).toMatchObject({ message_id: 1, chat: { id: forum }, text: 'TypeError in api', message_thread_id: 5 });

    const edited = await api.editMessageText({ chat_id: forum, message_id: sent.message_id, text: 'resolved', reply_markup: sent.reply_markup });
    expect(edited.text).toBe('resolved');
    const unbuttoned = await api.editMessageReplyMarkup({ chat_id: forum, message_id: sent.message_id });
    expect(unbuttoned.reply_markup).toBeUndefined();
    expect(fake.messagesIn(forum)[0]).toMatchObject({ text: 'resolved', editCount: 2 });

    await api.editMessageText({ chat_id: forum, message_id: 1, text: 'again', reply_markup: { inline_keyboard: [[{ text: 'Reopen', callback_data: 'o:1' }]] } });
    const queryId = fake.pressButton({ chatId: forum, messageId: 1, fromUserId: 7, data: 'o:1' });
    await expect(api.answerCallbackQuery({ callback_query_id: queryId, text: 'Reopened' })).resolves.toBe(true);

    await expect(api.setMyCommands({ commands: [{ command: 'errors', description: 'Recent errors' }] })).resolves.toBe(true);
    expect(fake.commands).toEqual([{ command: 'errors', description: 'Recent errors' }]);
  });

  it('uploads a photo from a Buffer as multipart, and resends it by file_id', async () => {
    const sent = await api.sendPhoto({
      chat_id: privateChat,
      photo: png,
      filename: 'errors-24h.png',
      caption: '<b>Daily</b> report',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Open', url: 'https://glitchtip.example.com/' }]] },
    });
    expect(sent).toMatchObject({ caption: 'Daily report', photo: [{ width: 1, height: 1 }], reply_markup: { inline_keyboard: [[{ text: 'Open' }]] } });
    expect(fake.callsTo('sendPhoto')[0]?.params).toMatchObject({ chat_id: String(privateChat), photo: { filename: 'errors-24h.png', size: png.length } });

    const again = await api.sendPhoto({ chat_id: group, photo: sent.photo![0]!.file_id });
    expect(again.photo?.[0]?.file_id).toBe(sent.photo![0]!.file_id);
  });

  const failures: Array<{
    kind: TelegramErrorKind;
    call: (api: TelegramBotApi) => Promise<unknown>;
    setup?: () => Promise<void> | void;
    retryable: boolean;
    extra?: Partial<TelegramApiError>;
  }> = [
    {
      kind: 'rate-limited',
      setup: () => fake.inject.rateLimitNext(1, 5),
      call: (client) => client.sendMessage({ chat_id: privateChat, text: 'x' }),
      retryable: true,
      extra: { retryAfterSeconds: 5, errorCode: 429 },
    },
    { kind: 'parse-entities', call: (client) => client.sendMessage({ chat_id: privateChat, text: 'List<String>', parse_mode: 'HTML' }), retryable: false },
    { kind: 'message-too-long', call: (client) => client.sendMessage({ chat_id: privateChat, text: 'x'.repeat(4097) }), retryable: false },
    {
      kind: 'not-modified',
      setup: async () => {
        await api.sendMessage({ chat_id: privateChat, text: 'same' });
      },
      call: (client) => client.editMessageText({ chat_id: privateChat, message_id: 1, text: 'same' }),
      retryable: false,
    },
    { kind: 'edit-target-missing', call: (client) => client.editMessageText({ chat_id: privateChat, message_id: 99, text: 'x' }), retryable: false },
    {
      kind: 'chat-migrated',
      call: (client) => client.sendMessage({ chat_id: migratedGroup, text: 'x' }),
      retryable: false,
      extra: { newChatId: -100333, errorCode: 400 },
    },
    {
      kind: 'forbidden',
      setup: () => fake.inject.blockBot(privateChat),
      call: (client) => client.sendMessage({ chat_id: privateChat, text: 'x' }),
      retryable: false,
      extra: { errorCode: 403, description: 'Forbidden: bot was blocked by the user' },
    },
    { kind: 'chat-not-found', call: (client) => client.sendMessage({ chat_id: 424242, text: 'x' }), retryable: false },
    { kind: 'thread-not-found', call: (client) => client.sendMessage({ chat_id: forum, message_thread_id: 6, text: 'x' }), retryable: false },
    {
      kind: 'bad-request',
      call: (client) => client.sendMessage({ chat_id: privateChat, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'y', callback_data: 'z'.repeat(65) }]] } }),
      retryable: false,
      extra: { description: 'Bad Request: BUTTON_DATA_INVALID' },
    },
    {
      kind: 'server',
      setup: () => fake.inject.failNext(1, 502, 'Bad Gateway'),
      call: (client) => client.sendMessage({ chat_id: privateChat, text: 'x' }),
      retryable: true,
      extra: { errorCode: 502 },
    },
    {
      kind: 'unauthorized',
      call: () => new TelegramBotApi({ apiRoot: fake.url, token: '123456:SOME-other-token-abcdefghijklmnopqr', logger: log.logger }).getMe(),
      retryable: false,
    },
  ];

  it.each(failures)('classifies a $kind failure', async ({ kind, call, setup, retryable, extra }) => {
    await setup?.();
    const error = await failureOf(call(api));
    expect(error).toMatchObject({ kind, retryable, ...extra });
    expect(error.message).toContain(`(${kind}`);
  });

  it('never puts the bot token in errors or logs', async () => {
    const errors = [
      await failureOf(api.sendMessage({ chat_id: 424242, text: 'x' })),
      await failureOf(new TelegramBotApi({ apiRoot: 'http://127.0.0.1:1', token, logger: log.logger }).getMe()),
    ];
    const written = [...log.lines, ...errors.map((error) => `${error.message} ${error.stack} ${JSON.stringify(error)}`)].join('\n');
    expect(written).toContain('chat not found');
    expect(written).not.toContain(token.split(':')[1]);
  });

  it('in dry run, logs the would-be call and answers without HTTP', async () => {
    const dry = capturingLogger();
    const dryApi = new TelegramBotApi({ apiRoot: fake.url, token, logger: dry.logger, dryRun: true });
    const message = await dryApi.sendMessage({ chat_id: '-100777', text: 'hello world' });
    expect(message).toMatchObject({ message_id: 1, chat: { id: -100777, type: 'supergroup' }, text: 'hello world' });
    await expect(dryApi.editMessageText({ chat_id: '-100777', message_id: 1, text: 'edited' })).resolves.toMatchObject({ message_id: 1, text: 'edited' });
    await expect(dryApi.answerCallbackQuery({ callback_query_id: 'q' })).resolves.toBe(true);
    await expect(dryApi.sendPhoto({ chat_id: 5, photo: png })).resolves.toMatchObject({ chat: { id: 5, type: 'private' } });
    expect(fake.calls).toHaveLength(0);
    const first = JSON.parse(dry.lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ method: 'sendMessage', chatId: '-100777', textLength: 11, msg: 'dry run: Telegram call not sent' });
  });
});

describe('TelegramBotApi network failures', () => {
  it('classifies a refused connection and a timeout as retryable network failures', async () => {
    const silent = http.createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { logger } = capturingLogger();
    try {
      const port = (silent.address() as AddressInfo).port;
      const timedOut = await failureOf(new TelegramBotApi({ apiRoot: `http://127.0.0.1:${port}`, token, logger, timeoutMs: 200 }).getMe());
      expect(timedOut).toMatchObject({ kind: 'network', retryable: true, errorCode: undefined, networkCode: 'ETIMEDOUT' });
      expect(timedOut.message).toContain('ETIMEDOUT');

      const closedPort = await new Promise<number>((resolve) => {
        const probe = http.createServer();
        probe.listen(0, '127.0.0.1', () => {
          const free = (probe.address() as AddressInfo).port;
          probe.close(() => resolve(free));
        });
      });
      const refused = await failureOf(new TelegramBotApi({ apiRoot: `http://127.0.0.1:${closedPort}`, token, logger }).getMe());
      expect(refused).toMatchObject({ kind: 'network', retryable: true, networkCode: 'ECONNREFUSED' });
      expect(refused.message).toContain('ECONNREFUSED');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
