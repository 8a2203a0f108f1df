import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from '@jest/globals';
import { Redis } from 'ioredis';
import { clearPrefix, testRedisUrl, uniquePrefix, waitFor } from '@triage/testing';
import { ChatPacer, isGroupChat, type ChatPacerLimits } from './chat-pacer';

const minute = 60_000;
const roomy = { limit: 1000, windowMs: minute };

describe('ChatPacer on Redis', () => {
  // Two connections stand in for two worker processes.
  let redisA: Redis;
  let redisB: Redis;
  let prefix: string;

  beforeAll(() => {
    redisA = new Redis(testRedisUrl());
    redisB = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await redisA.quit();
    await redisB.quit();
  });
  beforeEach(() => {
    prefix = uniquePrefix('pace');
  });
  afterEach(() => clearPrefix(testRedisUrl(), prefix));

  const pacer = (limits: Partial<ChatPacerLimits>, redis: Redis = redisA) => new ChatPacer({ redis, prefix, limits });
  const outcomes = (decisions: Array<{ ok: boolean }>) => decisions.map((decision) => decision.ok);
  const reserveMany = async (target: ChatPacer, chatIds: Array<string | number>) => {
    const decisions = [];
    for (const chatId of chatIds) decisions.push(await target.reserve(chatId));
    return decisions;
  };

  it('holds each chat to its own budget', async () => {
    const chatPacer = pacer({ perChat: { limit: 3, windowMs: minute }, perGroup: roomy, global: roomy });
    expect(outcomes(await reserveMany(chatPacer, [42, 42, 42]))).toEqual([true, true, true]);
    const refused = await chatPacer.reserve(42);
    expect(refused).toMatchObject({ ok: false, reason: 'chat' });
    expect(refused.ok === false && refused.waitMs > 0 && refused.waitMs <= minute).toBe(true);
    expect(await chatPacer.reserve(43)).toEqual({ ok: true });
  });

  it('holds groups (negative ids) to the group budget and leaves private chats out of it', async () => {
    const chatPacer = pacer({ perChat: roomy, perGroup: { limit: 5, windowMs: minute }, global: roomy });
    expect(outcomes(await reserveMany(chatPacer, Array(6).fill('-100123')))).toEqual([true, true, true, true, true, false]);
    expect(await chatPacer.reserve('-100123')).toMatchObject({ ok: false, reason: 'group' });
    expect(outcomes(await reserveMany(chatPacer, Array(10).fill(123)))).toEqual(Array(10).fill(true));
  });

  it('holds all chats together to the global budget', async () => {
    const chatPacer = pacer({ perChat: roomy, perGroup: roomy, global: { limit: 4, windowMs: minute } });
    expect(outcomes(await reserveMany(chatPacer, [1, 2, 3, 4, 5]))).toEqual([true, true, true, true, false]);
    expect(await chatPacer.reserve(6)).toMatchObject({ ok: false, reason: 'global' });
  });

  it('takes nothing from any budget when it refuses', async () => {
    const chatPacer = pacer({ perChat: { limit: 1, windowMs: minute }, perGroup: roomy, global: { limit: 2, windowMs: minute } });
    expect(outcomes(await reserveMany(chatPacer, [1, 1, 1, 2, 3]))).toEqual([true, false, false, true, false]);
    expect(await chatPacer.reserve(3)).toMatchObject({ reason: 'global' });
  });

  it('peek answers like reserve without taking anything', async () => {
    const chatPacer = pacer({ perChat: { limit: 1, windowMs: minute }, perGroup: roomy, global: roomy });
    expect(await chatPacer.peek(9)).toEqual({ ok: true });
    expect(await chatPacer.peek(9)).toEqual({ ok: true });
    expect(await chatPacer.reserve(9)).toEqual({ ok: true });
    expect(await chatPacer.peek(9)).toMatchObject({ ok: false, reason: 'chat' });
  });

  it('shares one budget between processes, even when they race', async () => {
    const limits = { perChat: { limit: 5, windowMs: minute }, perGroup: roomy, global: roomy };
    const first = pacer(limits, redisA);
    const second = pacer(limits, redisB);
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).reserve('-100999')));
    expect(decisions.filter((decision) => decision.ok)).toHaveLength(5);
    expect(await second.reserve('-100999')).toMatchObject({ ok: false, reason: 'chat' });
  });

  it('makes every process respect a pause, which only ever grows', async () => {
    const limits = { perChat: roomy, perGroup: roomy, global: roomy };
    const first = pacer(limits, redisA);
    const second = pacer(limits, redisB);
    await first.pauseChat(77, minute);
    const refused = await second.reserve(77);
    expect(refused).toMatchObject({ ok: false, reason: 'paused' });
    expect(refused.ok === false && refused.waitMs > 0 && refused.waitMs <= minute).toBe(true);
    await second.pauseChat(77, 1_000);
    expect(await first.pausedFor(77)).toBeGreaterThan(1_000);
    expect(await second.reserve(78)).toEqual({ ok: true });
    expect(await first.pausedFor(78)).toBe(0);
  });

  it('lets a chat send again once its window has slid past', async () => {
    const chatPacer = pacer({ perChat: { limit: 1, windowMs: 100 }, perGroup: roomy, global: roomy });
    expect(await chatPacer.reserve(5)).toEqual({ ok: true });
    expect(await chatPacer.reserve(5)).toMatchObject({ ok: false });
    await waitFor(async () => (await chatPacer.reserve(5)).ok, { what: 'the chat window to slide' });
    await chatPacer.pauseChat(5, 50);
    expect(await chatPacer.reserve(5)).toMatchObject({ ok: false, reason: 'paused' });
    await waitFor(async () => (await chatPacer.reserve(5)).ok, { what: 'the pause to end' });
  });

  it('keeps its keys under the prefix', async () => {
    const chatPacer = pacer({});
    await chatPacer.reserve('-100123');
    await chatPacer.pauseChat(1, minute);
    const keys = await redisA.keys(`${prefix}*`);
    expect(keys.sort()).toEqual(
      [`${prefix}:app:tg-pace:chat:-100123`, `${prefix}:app:tg-pace:group:-100123`, `${prefix}:app:tg-pace:global`, `${prefix}:app:tg-pace:pause:1`].sort(),
    );
  });
});

describe('isGroupChat', () => {
  it.each([
    [-100123, true],
    ['-456', true],
    [789, false],
    ['789', false],
    ['@channelname', false],
  ])('%s -> %s', (chatId, expected) => {
    expect(isGroupChat(chatId)).toBe(expected);
  });
});
