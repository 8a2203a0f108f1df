import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { waitFor } from '../wait';
import { createTelegramFake, type TelegramFake, type TelegramFakeOptions } from './telegram-fake';

const token = '123456:TEST-token-abcdefghijklmnopqrstuvwxyz';
const privateChat = 111;
const group = -222;
const forum = -100333;
const supergroup = -100444;
const oldGroup = -777;
const newSupergroup = -100777;
const neverStarted = 888;

const chats: TelegramFakeOptions['chats'] = [
  { id: privateChat, type: 'private' },
  { id: group, type: 'group' },
  { id: forum, type: 'supergroup', isForum: true, topics: [7] },
  { id: supergroup, type: 'supergroup' },
  { id: oldGroup, type: 'group', migratedTo: newSupergroup },
  { id: neverStarted, type: 'private', botStarted: false },
];

interface ApiResponse {
  status: number;
  body: { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: Record<string, number> };
}

async function callJson(fake: TelegramFake, method: string, params: Record<string, unknown> = {}, botToken = token): Promise<ApiResponse> {
  const response = await fetch(`${fake.url}/bot${botToken}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as ApiResponse['body'] };
}

const keyboard = (buttons: Array<Record<string, unknown>>) => ({ inline_keyboard: [buttons] });
const badRequest = (description: string, parameters?: Record<string, number>) => ({
  status: 400,
  body: parameters ? { ok: false, error_code: 400, description, parameters } : { ok: false, error_code: 400, description },
});
const pngHeader = (width: number, height: number) => {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'latin1');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return header;
};

describe('Telegram fake: rejections match Telegram', () => {
  const fake = createTelegramFake({ token, chats, rates: { perChatPerSecond: 1000, perChatBurst: 1000, perGroupPerMinute: 1000, globalPerSecond: 1000 } });
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const sendSetup = async () => {
    const sent = await callJson(fake, 'sendMessage', {
      chat_id: privateChat,
      text: '<b>alert</b>',
      parse_mode: 'HTML',
      reply_markup: keyboard([{ text: 'Resolve', callback_data: 'r:1' }]),
    });
    expect(sent.status).toBe(200);
  };

  const cases: Array<{
    name: string;
    method?: string;
    params: Record<string, unknown>;
    setup?: () => Promise<void> | void;
    expected: { status: number; body: unknown };
    botToken?: string;
  }> = [
    { name: 'empty text', params: { chat_id: privateChat, text: '' }, expected: badRequest('Bad Request: message text is empty') },
    { name: 'whitespace-only text', params: { chat_id: privateChat, text: ' \n ' }, expected: badRequest('Bad Request: message text is empty') },
    { name: 'HTML that renders to nothing', params: { chat_id: privateChat, text: '<b></b>', parse_mode: 'HTML' }, expected: badRequest('Bad Request: message text is empty') },
    { name: '4097 characters', params: { chat_id: privateChat, text: 'x'.repeat(4097) }, expected: badRequest('Bad Request: message is too long') },
    { name: 'half an emoji (lone surrogate)', params: { chat_id: privateChat, text: 'cut \ud83d here' }, expected: badRequest('Bad Request: strings must be encoded in UTF-8') },
    {
      name: '4097 characters after entity parsing',
      params: { chat_id: privateChat, text: `<b>${'&lt;'.repeat(4097)}</b>`, parse_mode: 'HTML' },
      expected: badRequest('Bad Request: message is too long'),
    },
    {
      name: '2049 emoji are 4098 UTF-16 units',
      params: { chat_id: privateChat, text: '🔥'.repeat(2049) },
      expected: badRequest('Bad Request: message is too long'),
    },
    {
      name: 'unsupported HTML tag',
      params: { chat_id: privateChat, text: '<div>x</div>', parse_mode: 'HTML' },
      expected: badRequest('Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 0'),
    },
    {
      name: 'unclosed HTML tag',
      params: { chat_id: privateChat, text: '<b>x', parse_mode: 'HTML' },
      expected: badRequest('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"'),
    },
    {
      name: 'misnested HTML tags',
      params: { chat_id: privateChat, text: '<b><i>x</b></i>', parse_mode: 'HTML' },
      expected: badRequest('Bad Request: can\'t parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    },
    {
      name: 'unknown HTML entity',
      params: { chat_id: privateChat, text: 'a &foo; b', parse_mode: 'HTML' },
      expected: badRequest('Bad Request: can\'t parse entities: Unsupported HTML entity "&foo;" at byte offset 2'),
    },
    {
      name: 'stray <',
      params: { chat_id: privateChat, text: 'if a < b', parse_mode: 'HTML' },
      expected: badRequest('Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 5'),
    },
    {
      name: 'bold inside pre',
      params: { chat_id: privateChat, text: '<pre><b>x</b></pre>', parse_mode: 'HTML' },
      expected: badRequest('Bad Request: can\'t parse entities: Tag "b" can\'t be nested in "pre" at byte offset 5'),
    },
    {
      name: 'a link to localhost',
      params: { chat_id: privateChat, text: '<a href="http://localhost:3000/i/1">issue</a>', parse_mode: 'HTML' },
      expected: badRequest("Bad Request: entity URL 'http://localhost:3000/i/1' is invalid: Wrong HTTP URL"),
    },
    {
      name: 'callback_data of 65 bytes',
      params: { chat_id: privateChat, text: 'x', reply_markup: keyboard([{ text: 'Go', callback_data: 'x'.repeat(65) }]) },
      expected: badRequest('Bad Request: BUTTON_DATA_INVALID'),
    },
    {
      name: 'callback_data of 33 characters but 66 bytes',
      params: { chat_id: privateChat, text: 'x', reply_markup: keyboard([{ text: 'Go', callback_data: 'é'.repeat(33) }]) },
      expected: badRequest('Bad Request: BUTTON_DATA_INVALID'),
    },
    {
      name: 'empty callback_data',
      params: { chat_id: privateChat, text: 'x', reply_markup: keyboard([{ text: 'Go', callback_data: '' }]) },
      expected: badRequest('Bad Request: BUTTON_DATA_INVALID'),
    },
    {
      name: 'URL button to localhost',
      params: { chat_id: privateChat, text: 'x', reply_markup: keyboard([{ text: 'Open', url: 'http://localhost:3000/x' }]) },
      expected: badRequest("Bad Request: inline keyboard button URL 'http://localhost:3000/x' is invalid: Wrong HTTP URL"),
    },
    {
      name: 'URL button with an ftp URL',
      params: { chat_id: privateChat, text: 'x', reply_markup: keyboard([{ text: 'Open', url: 'ftp://files.example.com/x' }]) },
      expected: badRequest("Bad Request: inline keyboard button URL 'ftp://files.example.com/x' is invalid: Unsupported URL protocol"),
    },
    {
      name: 'a button without an action',
      params: { chat_id: privateChat, text: 'x', reply_markup: keyboard([{ text: 'Plain' }]) },
      expected: badRequest("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"),
    },
    { name: 'missing chat_id', params: { text: 'x' }, expected: badRequest('Bad Request: chat_id is empty') },
    { name: 'unknown chat', params: { chat_id: 999, text: 'x' }, expected: badRequest('Bad Request: chat not found') },
    {
      name: 'a private chat that blocked the bot',
      params: { chat_id: privateChat, text: 'x' },
      setup: () => fake.inject.blockBot(privateChat),
      expected: { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } },
    },
    {
      name: 'a group that kicked the bot',
      params: { chat_id: group, text: 'x' },
      setup: () => fake.inject.blockBot(group),
      expected: { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the group chat' } },
    },
    {
      name: 'a supergroup that kicked the bot',
      params: { chat_id: supergroup, text: 'x' },
      setup: () => fake.inject.blockBot(supergroup),
      expected: { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' } },
    },
    {
      name: 'a user who never started the bot',
      params: { chat_id: neverStarted, text: 'x' },
      expected: { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" } },
    },
    {
      name: 'a group configured as migrated',
      params: { chat_id: oldGroup, text: 'x' },
      expected: badRequest('Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: newSupergroup }),
    },
    {
      name: 'a group migrated during the test',
      params: { chat_id: group, text: 'x' },
      setup: () => fake.inject.migrateChat(group, -100222),
      expected: badRequest('Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -100222 }),
    },
    {
      name: 'message_thread_id in a chat without topics',
      params: { chat_id: supergroup, text: 'x', message_thread_id: 7 },
      expected: badRequest('Bad Request: message thread not found'),
    },
    {
      name: 'an unknown forum topic',
      params: { chat_id: forum, text: 'x', message_thread_id: 8 },
      expected: badRequest('Bad Request: message thread not found'),
    },
    {
      name: 'editing a message that does not exist',
      method: 'editMessageText',
      params: { chat_id: privateChat, message_id: 42, text: 'x' },
      expected: badRequest('Bad Request: message to edit not found'),
    },
    {
      name: 'editing to the same text and markup',
      method: 'editMessageText',
      params: { chat_id: privateChat, message_id: 1, text: '<b>alert</b>', parse_mode: 'HTML', reply_markup: keyboard([{ text: 'Resolve', callback_data: 'r:1' }]) },
      setup: sendSetup,
      expected: badRequest(
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      ),
    },
    {
      name: 'editing to the same markup',
      method: 'editMessageReplyMarkup',
      params: { chat_id: privateChat, message_id: 1, reply_markup: keyboard([{ text: 'Resolve', callback_data: 'r:1' }]) },
      setup: sendSetup,
      expected: badRequest(
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      ),
    },
    {
      name: 'answering an unknown callback query',
      method: 'answerCallbackQuery',
      params: { callback_query_id: '12345' },
      expected: badRequest('Bad Request: query is too old and response timeout expired or query ID is invalid'),
    },
    {
      name: 'an invalid bot command',
      method: 'setMyCommands',
      params: { commands: [{ command: 'Bad-Command', description: 'x' }] },
      expected: badRequest('Bad Request: BOT_COMMAND_INVALID'),
    },
    {
      name: 'getUpdates while a webhook is set',
      method: 'getUpdates',
      params: {},
      setup: async () => {
        expect((await callJson(fake, 'setWebhook', { url: 'https://triage.example.com/tg' })).status).toBe(200);
      },
      expected: {
        status: 409,
        body: { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" },
      },
    },
    {
      name: 'a webhook without HTTPS',
      method: 'setWebhook',
      params: { url: 'http://triage.example.com/tg' },
      expected: badRequest('Bad Request: bad webhook: An HTTPS URL must be provided for webhook'),
    },
    { name: 'a wrong token', params: { chat_id: privateChat, text: 'x' }, botToken: '123456:WRONG', expected: { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } } },
    { name: 'an unknown method', method: 'sendDice', params: {}, expected: { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } } },
  ];

  it.each(cases)('refuses $name', async ({ method = 'sendMessage', params, setup, expected, botToken }) => {
    await setup?.();
    const before = fake.messagesIn(privateChat).map((message) => ({ ...message }));
    expect(await callJson(fake, method, params, botToken)).toEqual(expected);
    expect(fake.messagesIn(privateChat)).toEqual(before);
    expect(fake.calls.at(-1)?.response).toEqual(expected);
  });

  it('accepts exactly 4096 characters after parsing, and stores the parsed text and entities', async () => {
    const reply = await callJson(fake, 'sendMessage', { chat_id: privateChat, text: `<b>${'&lt;'.repeat(4095)}</b>x`, parse_mode: 'HTML' });
    expect(reply.status).toBe(200);
    const [message] = fake.messagesIn(privateChat);
    expect(message?.text).toHaveLength(4096);
    expect(message?.entities).toEqual([{ type: 'bold', offset: 0, length: 4095 }]);
    expect(reply.body.result).toMatchObject({ message_id: 1, chat: { id: privateChat, type: 'private' }, entities: [{ type: 'bold', offset: 0, length: 4095 }] });
  });

  it('accepts form-urlencoded bodies with JSON-encoded markup, and topics in forums', async () => {
    const response = await fetch(`${fake.url}/bot${token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(forum),
        message_thread_id: '7',
        text: 'hi',
        reply_markup: JSON.stringify(keyboard([{ text: 'Open', url: 'https://glitchtip.example.com/i/1' }])),
      }),
    });
    expect(response.status).toBe(200);
    expect(fake.messagesIn(forum)[0]).toMatchObject({ text: 'hi', message_thread_id: 7, reply_markup: keyboard([{ text: 'Open', url: 'https://glitchtip.example.com/i/1' }]) });
  });

  it('edits text, and an edit without reply_markup removes the keyboard as Telegram does', async () => {
    await sendSetup();
    const edited = await callJson(fake, 'editMessageText', { chat_id: privateChat, message_id: 1, text: '<i>resolved</i>', parse_mode: 'HTML' });
    expect(edited.status).toBe(200);
    expect(fake.messagesIn(privateChat)[0]).toMatchObject({ text: 'resolved', entities: [{ type: 'italic', offset: 0, length: 8 }], editCount: 1 });
    expect(fake.messagesIn(privateChat)[0]?.reply_markup).toBeUndefined();
    expect(edited.body.result.edit_date).toEqual(expect.any(Number));
  });

  it('uploads a photo as multipart and records the file without its bytes', async () => {
    const form = new FormData();
    form.append('chat_id', String(privateChat));
    form.append('caption', '<b>daily</b> report');
    form.append('parse_mode', 'HTML');
    form.append('photo', new Blob([pngHeader(800, 400)]), 'chart.png');
    const response = await fetch(`${fake.url}/bot${token}/sendPhoto`, { method: 'POST', body: form });
    const body = (await response.json()) as ApiResponse['body'];
    expect(response.status).toBe(200);
    expect(body.result).toMatchObject({ caption: 'daily report', photo: [{ width: 800, height: 400, file_size: 33 }] });
    expect(fake.callsTo('sendPhoto')[0]?.params.photo).toEqual({ filename: 'chart.png', contentType: 'application/octet-stream', size: 33 });
  });

  it('refuses a photo upload that is not an image', async () => {
    const form = new FormData();
    form.append('chat_id', String(privateChat));
    form.append('photo', new Blob([Buffer.from('not an image')]), 'chart.png');
    const response = await fetch(`${fake.url}/bot${token}/sendPhoto`, { method: 'POST', body: form });
    expect({ status: response.status, body: await response.json() }).toEqual(badRequest('Bad Request: IMAGE_PROCESS_FAILED'));
  });

  it('stores bot commands', async () => {
    const commands = [{ command: 'errors', description: 'Recent errors' }];
    expect((await callJson(fake, 'setMyCommands', { commands })).body).toEqual({ ok: true, result: true });
    expect(fake.commands).toEqual(commands);
  });
});

describe('Telegram fake: flood control', () => {
  // A clock the test moves by hand, so limits are checked exactly and nothing sleeps.
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const withFake = async (options: Omit<TelegramFakeOptions, 'token' | 'now'>, body: (fake: TelegramFake) => Promise<void>) => {
    const fake = createTelegramFake({ token, chats, now, ...options });
    await fake.start();
    try {
      await body(fake);
    } finally {
      await fake.stop();
    }
  };
  const send = (fake: TelegramFake, chatId: number, text = 'x') => callJson(fake, 'sendMessage', { chat_id: chatId, text });

  it('allows a short burst per chat, then 429 with retry_after, and holds the chat until it passes', () =>
    withFake({ rates: { perChatPerSecond: 1, perChatBurst: 3 } }, async (fake) => {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await send(fake, privateChat)).status);
      expect(statuses).toEqual([200, 200, 200]);
      expect(await send(fake, privateChat)).toEqual({
        status: 429,
        body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
      });
      expect((await send(fake, group)).status).toBe(200);
      clock += 999;
      expect((await send(fake, privateChat)).status).toBe(429);
      clock += 1;
      expect((await send(fake, privateChat)).status).toBe(200);
      expect(fake.stats.rateLimited).toBe(2);
      expect(fake.messagesIn(privateChat)).toHaveLength(4);
    }));

  it('counts edits against the same per-chat budget', () =>
    withFake({ rates: { perChatPerSecond: 1, perChatBurst: 2 } }, async (fake) => {
      expect((await send(fake, privateChat, 'v1')).status).toBe(200);
      expect((await callJson(fake, 'editMessageText', { chat_id: privateChat, message_id: 1, text: 'v2' })).status).toBe(200);
      expect((await callJson(fake, 'editMessageText', { chat_id: privateChat, message_id: 1, text: 'v3' })).status).toBe(429);
      expect(fake.messagesIn(privateChat)[0]?.text).toBe('v2');
    }));

  it('limits a group per minute, reporting how long until the oldest send leaves the window', () =>
    withFake({ rates: { perChatPerSecond: 1000, perChatBurst: 1000, perGroupPerMinute: 20 } }, async (fake) => {
      for (let i = 0; i < 20; i += 1) expect((await send(fake, group, `m${i}`)).status).toBe(200);
      clock += 30_000;
      expect(await send(fake, group)).toEqual({
        status: 429,
        body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 30', parameters: { retry_after: 30 } },
      });
      // Private chats have no per-group budget.
      for (let i = 0; i < 25; i += 1) expect((await send(fake, privateChat, `p${i}`)).status).toBe(200);
      clock += 30_000;
      expect((await send(fake, group)).status).toBe(200);
    }));

  it('scales every window with timeScale, still reporting retry_after in Telegram seconds', () =>
    withFake({ rates: { perChatPerSecond: 1000, perChatBurst: 1000, perGroupPerMinute: 20, timeScale: 0.01 } }, async (fake) => {
      for (let i = 0; i < 20; i += 1) expect((await send(fake, group, `m${i}`)).status).toBe(200);
      clock += 150;
      expect((await send(fake, group)).body.parameters).toEqual({ retry_after: 45 });
      clock += 450;
      expect((await send(fake, group)).status).toBe(200);
    }));

  it('limits all chats together per second, with a fixed retry_after when configured', async () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ id: 1000 + i, type: 'private' as const }));
    await withFake({ chats: many, rates: { globalPerSecond: 5, retryAfterSeconds: 7 } }, async (fake) => {
      const statuses: number[] = [];
      for (const chat of many) statuses.push((await send(fake, chat.id)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      expect(fake.callsTo('sendMessage').at(-1)?.response.body).toEqual({
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      });
      expect(fake.stats.rateLimited).toBe(3);
      clock += 1_000;
      expect((await send(fake, 1000)).status).toBe(200);
    });
  });
});

describe('Telegram fake: updates, buttons and injections', () => {
  let clock = 1_700_000_000_000;
  const fake = createTelegramFake({ token, chats, now: () => clock });
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const updateIds = (response: ApiResponse) => (response.body.result as Array<{ update_id: number }>).map((update) => update.update_id);

  it('keeps updates until a later offset confirms them', async () => {
    for (const text of ['a', 'b', 'c']) fake.sendUserMessage({ chatId: privateChat, fromUserId: 5, text });
    expect(updateIds(await callJson(fake, 'getUpdates', {}))).toEqual([1, 2, 3]);
    expect(updateIds(await callJson(fake, 'getUpdates', { offset: 0 }))).toEqual([1, 2, 3]);
    expect(updateIds(await callJson(fake, 'getUpdates', { offset: 3 }))).toEqual([3]);
    expect(updateIds(await callJson(fake, 'getUpdates', { offset: 4 }))).toEqual([]);
    expect(fake.stats.pendingUpdates).toBe(0);
  });

  it('honours limit, negative offsets and allowed_updates', async () => {
    for (const text of ['a', 'b', 'c', 'd']) fake.sendUserMessage({ chatId: privateChat, fromUserId: 5, text });
    expect(updateIds(await callJson(fake, 'getUpdates', { limit: 2 }))).toEqual([1, 2]);
    expect(updateIds(await callJson(fake, 'getUpdates', { offset: -1 }))).toEqual([4]);
    fake.injectUpdate({ callback_query: { id: 'x', data: 'y' } });
    expect(updateIds(await callJson(fake, 'getUpdates', { offset: 4, allowed_updates: ['callback_query'] }))).toEqual([5]);
    // allowed_updates is remembered until changed.
    fake.sendUserMessage({ chatId: privateChat, fromUserId: 5, text: 'e' });
    expect(updateIds(await callJson(fake, 'getUpdates', { offset: 6 }))).toEqual([]);
    expect(updateIds(await callJson(fake, 'getUpdates', { offset: 6, allowed_updates: [] }))).toEqual([6]);
  });

  it('answers a long poll as soon as an update arrives, and ends an older poll with 409', async () => {
    const first = callJson(fake, 'getUpdates', { timeout: 30 });
    await waitFor(() => fake.stats.pollWaiting, { what: 'the first long poll to wait' });
    const second = callJson(fake, 'getUpdates', { timeout: 30 });
    expect(await first).toEqual({
      status: 409,
      body: { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' },
    });
    fake.sendUserMessage({ chatId: privateChat, fromUserId: 5, text: '/errors api 24' });
    const delivered = await second;
    expect(delivered.body.result).toEqual([
      {
        update_id: 1,
        message: {
          message_id: 1,
          from: { id: 5, is_bot: false, first_name: 'User 5' },
          chat: { id: privateChat, type: 'private', first_name: `User ${privateChat}` },
          date: expect.any(Number),
          text: '/errors api 24',
          entities: [{ type: 'bot_command', offset: 0, length: 7 }],
        },
      },
    ]);
  });

  it('turns a button press into a callback_query that can be answered once', async () => {
    await callJson(fake, 'sendMessage', { chat_id: group, text: 'alert', reply_markup: keyboard([{ text: 'Resolve', callback_data: 'r:42' }]) });
    const queryId = fake.pressButton({ chatId: group, messageId: 1, fromUserId: 9, data: 'r:42' });
    const [update] = (await callJson(fake, 'getUpdates', {})).body.result;
    expect(update.callback_query).toMatchObject({ id: queryId, from: { id: 9 }, data: 'r:42', message: { message_id: 1, chat: { id: group }, text: 'alert' } });
    expect(await callJson(fake, 'answerCallbackQuery', { callback_query_id: queryId, text: 'Resolved' })).toEqual({ status: 200, body: { ok: true, result: true } });
    expect(fake.callbackQueries.get(queryId)?.answer).toEqual({ text: 'Resolved', show_alert: false });
    expect(await callJson(fake, 'answerCallbackQuery', { callback_query_id: queryId })).toEqual(
      badRequest('Bad Request: query is too old and response timeout expired or query ID is invalid'),
    );
  });

  it('refuses an answer that comes too late, and a press on a button that does not exist', async () => {
    await callJson(fake, 'sendMessage', { chat_id: group, text: 'alert', reply_markup: keyboard([{ text: 'Resolve', callback_data: 'r:42' }]) });
    const queryId = fake.pressButton({ chatId: group, messageId: 1, fromUserId: 9, data: 'r:42' });
    clock += 15_001;
    expect((await callJson(fake, 'answerCallbackQuery', { callback_query_id: queryId })).body.description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
    expect(() => fake.pressButton({ chatId: group, messageId: 1, fromUserId: 9, data: 'nope' })).toThrow(/no button/);
  });

  it('fails or rate-limits the next calls on demand, leaving polling alone', async () => {
    fake.inject.failNext(1, 500, 'Internal Server Error');
    fake.inject.rateLimitNext(2, 9);
    fake.sendUserMessage({ chatId: privateChat, fromUserId: 5, text: 'x' });
    expect(updateIds(await callJson(fake, 'getUpdates', {}))).toEqual([1]);
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push(await callJson(fake, 'sendMessage', { chat_id: privateChat, text: 'x' }));
    // An injected 429 imposes its retry_after like a real one: the chat stays refused until it has passed.
    expect(statuses.map((reply) => reply.status)).toEqual([500, 429, 429, 429]);
    expect(statuses[0]?.body).toEqual({ ok: false, error_code: 500, description: 'Internal Server Error' });
    expect(statuses[1]?.body).toEqual({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 9', parameters: { retry_after: 9 } });
    expect((statuses[3]?.body as { parameters?: { retry_after?: number } }).parameters?.retry_after).toBeLessThanOrEqual(9);
    expect(fake.stats.rateLimited).toBe(3);
    // Another chat keeps flowing meanwhile.
    expect((await callJson(fake, 'sendMessage', { chat_id: group, text: 'other chat' })).status).toBe(200);
    clock += 9_000;
    expect((await callJson(fake, 'sendMessage', { chat_id: privateChat, text: 'x' })).status).toBe(200);
  });
});
