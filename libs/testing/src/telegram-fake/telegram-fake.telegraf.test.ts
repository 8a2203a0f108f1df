import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Telegraf } from 'telegraf';
import { waitFor } from '../wait';
import { createTelegramFake } from './telegram-fake';

// The bot process will poll with Telegraf; this checks the fake speaks the protocol Telegraf expects.
describe('Telegram fake with a real Telegraf bot', () => {
  const token = '654321:TELEGRAF-token-abcdefghijklmnopqrstu';
  const chatId = -100500;
  const fake = createTelegramFake({ token, chats: [{ id: chatId, type: 'supergroup' }] });
  let bot: Telegraf | undefined;

  beforeAll(() => fake.start());
  afterAll(async () => {
    bot?.stop('test over');
    await fake.stop();
  });

  it('delivers a command and a button press, and receives the replies', async () => {
    bot = new Telegraf(token, { telegram: { apiRoot: fake.url } });
    bot.command('help', (ctx) => ctx.reply('<b>help</b>', { parse_mode: 'HTML', reply_markup: { inline_keyboard: [[{ text: 'Ping', callback_data: 'ping' }]] } }));
    bot.action('ping', (ctx) => ctx.answerCbQuery('pong'));
    void bot.launch({ allowedUpdates: ['message', 'callback_query'] });

    fake.sendUserMessage({ chatId, fromUserId: 77, text: '/help' });
    const reply = await waitFor(() => fake.messagesIn(chatId)[0], { what: 'the bot to answer /help' });
    expect(reply).toMatchObject({ text: 'help', entities: [{ type: 'bold', offset: 0, length: 4 }] });

    const queryId = fake.pressButton({ chatId, messageId: reply.message_id, fromUserId: 77, data: 'ping' });
    await waitFor(() => fake.callbackQueries.get(queryId)?.answer, { what: 'the bot to answer the button press' });
    expect(fake.callbackQueries.get(queryId)?.answer).toEqual({ text: 'pong', show_alert: false });
    expect(fake.callsTo('getMe')).toHaveLength(1);
  });
});
