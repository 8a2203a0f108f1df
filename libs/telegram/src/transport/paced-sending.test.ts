import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Redis } from 'ioredis';
import { createLogger } from '@triage/logger';
import { clearPrefix, createTelegramFake, testRedisUrl, uniquePrefix, type TelegramFake } from '@triage/testing';
import { ChatPacer } from './chat-pacer';
import { TelegramBotApi } from './telegram-bot-api';
import { isTelegramApiError } from './telegram-api-error';

// The fake runs 50 times faster than Telegram: a second is 20 ms, a minute 1.2 s. The pacer gets the same windows
// plus a fixed allowance for scheduling jitter on a busy test machine (production's margin is 2 s in 62).
const timeScale = 0.02;
const jitterMs = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sending through the ChatPacer stays inside Telegram limits', () => {
  const token = '123456:PACED-token-abcdefghijklmnopqrstuvwxyz';
  const logger = createLogger({ name: 'paced-test', level: 'silent' });
  const groupChat = -100111;
  const chats = [{ id: groupChat, type: 'supergroup' as const }];
  const prefix = uniquePrefix('paced');
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await clearPrefix(testRedisUrl(), prefix);
    await redis.quit();
  });

  const started = async (fake: TelegramFake) => {
    await fake.start();
    return new TelegramBotApi({ apiRoot: fake.url, token, logger });
  };

  it('sends and edits 25 times in one group without a single 429', async () => {
    const fake = createTelegramFake({ token, chats, rates: { timeScale } });
    const api = await started(fake);
    const pacer = new ChatPacer({
      redis,
      prefix,
      limits: {
        perChat: { limit: 1, windowMs: 1_000 * timeScale * 2 },
        perGroup: { limit: 20, windowMs: 60_000 * timeScale + jitterMs },
        global: { limit: 25, windowMs: 1_000 * timeScale + jitterMs },
      },
    });
    const paced = async (send: () => Promise<unknown>) => {
      for (;;) {
        const decision = await pacer.reserve(groupChat);
        if (decision.ok) return send();
        await sleep(decision.waitMs);
      }
    };
    try {
      for (let i = 0; i < 20; i += 1) await paced(() => api.sendMessage({ chat_id: groupChat, text: `alert ${i}` }));
      for (let i = 0; i < 5; i += 1) await paced(() => api.editMessageText({ chat_id: groupChat, message_id: 1, text: `alert 0 (x${i + 2})` }));
      expect(fake.stats.rateLimited).toBe(0);
      expect(fake.messagesIn(groupChat)).toHaveLength(20);
      expect(fake.messagesIn(groupChat)[0]?.editCount).toBe(5);
    } finally {
      await fake.stop();
    }
  });

  it('while the same storm unpaced gets 429s', async () => {
    const fake = createTelegramFake({ token, chats });
    const api = await started(fake);
    try {
      let limited = 0;
      for (let i = 0; i < 25; i += 1) {
        await api.sendMessage({ chat_id: groupChat, text: `storm ${i}` }).catch((error: unknown) => {
          if (!isTelegramApiError(error, 'rate-limited')) throw error;
          limited += 1;
        });
      }
      expect(limited).toBeGreaterThan(0);
      expect(fake.stats.rateLimited).toBe(limited);
    } finally {
      await fake.stop();
    }
  });
});
