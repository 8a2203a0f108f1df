import type { TelegramApiError } from '@triage/telegram';

/** Failures that happen before a byte of the request reaches Telegram: DNS, a refused or unreachable connection. */
const neverSentCodes = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)\b/;
/** TLS handshake failures: the request was never written to the encrypted socket. */
const handshakeFailures =
  /^(EPROTO|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_[A-Z_]+|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_[A-Z_]+)\b|handshake/i;
/** got's timeouts name their phase; those before the request is written cannot have reached Telegram. */
const beforeRequestTimeout = /Timeout awaiting '(lookup|connect|secureConnect)'/;

/**
 * Whether Telegram may have posted a message although the call failed: the request was sent but the answer was lost
 * (a read timeout, a reset connection) or a gateway in front of Telegram gave up (502/504). A failure that proves the
 * request never left (DNS, connection refused, TLS handshake, connect timeout) is a plain retryable failure.
 */
export function outcomeUnknown(error: TelegramApiError): boolean {
  if (error.kind === 'network') {
    const description = error.description;
    return !(neverSentCodes.test(description) || handshakeFailures.test(description) || beforeRequestTimeout.test(description));
  }
  if (error.kind === 'server') return error.errorCode === 502 || error.errorCode === 504;
  return false;
}
