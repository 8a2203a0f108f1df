import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';
import { appKey } from '@triage/queue';
import { decodeCallback, isMessageCallback, maxMuteHours } from './callback-data';

export const issueActions = ['resolve', 'ignore', 'unresolve', 'mute', 'unmute', 'investigate', 'acknowledge'] as const;
export type IssueAction = (typeof issueActions)[number];

export { maxMuteHours };

export const telegramActorSchema = z.object({
  userId: z.number().int(),
  username: z.string().min(1).max(64).optional(),
});
export type TelegramActor = z.infer<typeof telegramActorSchema>;

export const issueActionSchema = z
  .object({
    action: z.enum(issueActions),
    issueId: z.string().regex(/^\d{1,20}$/, 'must be a numeric GlitchTip issue id'),
    hours: z.number().int().min(1).max(maxMuteHours).optional(),
    actor: telegramActorSchema,
    /** Where the request came from: the reply goes there (chat id as text: numeric ids exceed no JSON limits that way). */
    chatId: z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/),
    /** The alert message (button) or the command message (command) to answer. */
    messageId: z.number().int().positive().optional(),
    threadId: z.number().int().positive().optional(),
    /**
     * `button`: an alert button (the message edit is the answer); `command`: a slash command (a reply says what happened);
     * `expiry`: the delayed job that ends a mute (no user acted, so no allowlist check).
     */
    source: z.enum(['button', 'command', 'expiry']),
    /** The Telegram update id or callback query id: a redelivered update maps to the same job and acts once. */
    requestId: z.string().min(1).max(100),
  })
  .refine((payload) => payload.action !== 'mute' || payload.hours !== undefined, { message: 'mute needs hours', path: ['hours'] });

export type IssueActionPayload = z.output<typeof issueActionSchema>;

export const issueAction = defineJob({
  name: 'issue-action',
  description: 'Resolve, ignore, reopen, mute, unmute or investigate an issue for a Telegram user; audit it and edit the alert',
  schema: issueActionSchema,
  defaultOptions: retryPolicy(5, 2_000),
  jobId: (payload) => safeJobId('issue-action', payload.requestId),
});

/** A digest's "Mute all": the bot mutes every issue the digest stored as having no row of its own. */
export interface MuteRestRequest {
  muteRest: true;
  hours: number;
}

/**
 * Alert button data (`v1|r|123`) as an issue action; Reopen and Stop ignoring both mean `unresolve`. A digest's
 * message-level button (`v1|mr|1`) comes back as a MuteRestRequest.
 */
export function issueActionFromCallback(data: string): { action: IssueAction; issueId: string; hours?: number } | MuteRestRequest | { error: string } {
  const decoded = decodeCallback(data);
  if ('error' in decoded) return decoded;
  if (isMessageCallback(decoded)) return { muteRest: true, hours: decoded.hours };
  if (decoded.action === 'mute') return { action: 'mute', issueId: decoded.issueId, hours: decoded.hours };
  return { action: decoded.action === 'reopen' ? 'unresolve' : decoded.action, issueId: decoded.issueId };
}

/**
 * Where a storm digest's issue list is kept (written by send-alert when the digest goes out, read by the bot for
 * "Mute all" and by send-alert to edit the digest in the same order).
 */
export function digestListingKey(prefix: string, chatId: string, messageId: number): string {
  return appKey(prefix, 'digest', chatId, messageId);
}

export interface DigestListing {
  /** Every issue of the digest, in the order it lists them. */
  issueIds: string[];
  /** Those without a row of buttons: what "Mute all" mutes. */
  rest: string[];
}
