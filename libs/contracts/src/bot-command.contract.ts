import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';
import { telegramActorSchema } from './issue-action.contract';

/** `/errors` looks back at most 14 days: GlitchTip's per-issue stats go no further. */
export const maxErrorsHours = 336;

/** Tag values a component filter may carry: enough for real names, nothing that could add query tokens. */
export const componentPattern = /^[A-Za-z0-9_.\-/]{1,64}$/;

/** Why the bot answers on its own: the worker sends these without the allowlist check the bot already made. */
export const botReplyPurposes = ['help', 'usage', 'refusal', 'disabled', 'unavailable'] as const;
export type BotReplyPurpose = (typeof botReplyPurposes)[number];

const commandSchema = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('errors'),
    component: z.string().regex(componentPattern).optional(),
    hours: z.number().int().min(1).max(maxErrorsHours).default(24),
  }),
  z.object({ command: z.literal('stats'), period: z.enum(['24h', '7d']).default('24h') }),
  z.object({ command: z.literal('runbook'), issueId: z.string().regex(/^\d{1,20}$/) }),
  /**
   * A reply the bot decided on (/help, a usage line, a refusal, "commands disabled"): the bot only enqueues, so every
   * message goes through the workers' shared pacer. Plain text; the worker escapes it.
   */
  z.object({ command: z.literal('reply'), purpose: z.enum(botReplyPurposes), text: z.string().min(1).max(4096) }),
]);

export const botCommandSchema = z.intersection(
  commandSchema,
  z.object({
    actor: telegramActorSchema,
    chatId: z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/),
    /** The command message; the answer replies to it. */
    messageId: z.number().int().positive().optional(),
    threadId: z.number().int().positive().optional(),
    /** The Telegram update id: a redelivered update maps to the same job and is answered once. */
    requestId: z.string().min(1).max(100),
  }),
);

export type BotCommandPayload = z.output<typeof botCommandSchema>;

export const botCommand = defineJob({
  name: 'bot-command',
  description: 'Answer a read-only Telegram command (/errors, /stats, /runbook) from GlitchTip and the database, or send a reply the bot decided on',
  schema: botCommandSchema,
  defaultOptions: retryPolicy(3, 2_000),
  jobId: (payload) => safeJobId('bot-command', payload.requestId),
});
