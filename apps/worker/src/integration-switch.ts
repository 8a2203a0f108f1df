import { UnrecoverableError } from 'bullmq';
import { GlitchTipClient, IntegrationDisabledError, type GlitchTipClientOptions, type IssueStatus } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { TelegramBotApi, type TelegramBotApiOptions } from '@triage/telegram';

/**
 * GLITCHTIP_INTEGRATION_ENABLED=false is the emergency switch: no write reaches GlitchTip or Telegram, whichever job
 * asks. Handlers skip their writes first (process-alert sends nothing); these clients are the floor under them: every
 * write is refused with an error BullMQ does not retry, and a log line says which.
 */
const switchedOff = 'GLITCHTIP_INTEGRATION_ENABLED=false';

/** A Telegram write refused by the switch: unrecoverable, so nothing retries it and nothing is sent when it flips back. */
export class TelegramSwitchedOffError extends UnrecoverableError {
  constructor(readonly method: string) {
    super(`${switchedOff}: Telegram ${method} refused (the emergency switch stops every external write)`);
  }
}

/**
 * A GlitchTip write refused by the switch. Still an IntegrationDisabledError (handlers answer "the integration is
 * turned off"), named UnrecoverableError so BullMQ fails the job at once instead of retrying it.
 */
export class GlitchTipSwitchedOffError extends IntegrationDisabledError {
  constructor(operation: string) {
    super(operation);
    this.name = 'UnrecoverableError';
  }
}

export class SwitchedOffTelegramBotApi extends TelegramBotApi {
  constructor(
    options: TelegramBotApiOptions,
    private readonly switchLog: Logger,
  ) {
    super(options);
  }

  private refuse(method: string): Promise<never> {
    this.switchLog.warn({ method }, `${switchedOff}: Telegram write refused`);
    return Promise.reject(new TelegramSwitchedOffError(method));
  }

  override sendMessage(): Promise<never> {
    return this.refuse('sendMessage');
  }

  override editMessageText(): Promise<never> {
    return this.refuse('editMessageText');
  }

  override editMessageReplyMarkup(): Promise<never> {
    return this.refuse('editMessageReplyMarkup');
  }

  override answerCallbackQuery(): Promise<never> {
    return this.refuse('answerCallbackQuery');
  }

  override sendPhoto(): Promise<never> {
    return this.refuse('sendPhoto');
  }

  override setMyCommands(): Promise<never> {
    return this.refuse('setMyCommands');
  }
}

export class SwitchedOffGlitchTipClient extends GlitchTipClient {
  constructor(
    options: GlitchTipClientOptions,
    private readonly switchLog: Logger,
  ) {
    super({ ...options, integrationEnabled: false });
  }

  private refuse(operation: string): Promise<never> {
    this.switchLog.warn({ operation }, `${switchedOff}: GlitchTip write refused`);
    return Promise.reject(new GlitchTipSwitchedOffError(operation));
  }

  override addComment(id: string | number): Promise<never> {
    return this.refuse(`add a comment to issue ${id}`);
  }

  override updateComment(id: string | number): Promise<never> {
    return this.refuse(`update a comment of issue ${id}`);
  }

  override updateIssueStatus(id: string | number, status: IssueStatus): Promise<never> {
    return this.refuse(`set issue ${id} ${status}`);
  }

  override bulkUpdateStatus(ids: ReadonlyArray<string | number>, status: IssueStatus): Promise<never> {
    return this.refuse(`set ${ids.length} issues ${status}`);
  }
}
