import { piiMarkers } from './markers';

const secret = piiMarkers.secret;

/** `-----BEGIN … PRIVATE KEY-----` to its END line, or to the end of the text when the block was cut off. */
const privateKeyBlock =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g;

/**
 * `scheme://user:password@host` and `scheme://key@host` (Sentry/GlitchTip DSNs carry their key there). Greedy up to the
 * last `@` before the path, so an unencoded `@` inside the password does not leak the rest of it.
 */
const urlUserInfo = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/?#"'<>@]*(?:@[^\s/?#"'<>@]*)*@(?=[A-Za-z0-9[])/gi;

/** Whole header values: `Authorization: Basic …`, `Cookie: a=1; b=2`, in logs, JSON and Python dict dumps. */
const credentialHeader =
  /\b((?:proxy-)?authorization|set-cookie|cookie)(["']?[ \t]*[:=][ \t]*)(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s,}"'](?:[^\r\n,}"']*[^\s,}"'])?))/gi;

const jsonWebToken = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/**
 * Token formats that identify themselves by a prefix, so no context is needed. Where the token alphabet includes `-`,
 * a lookbehind instead of `\b` keeps the scan linear on inputs like `sk-sk-sk-…`.
 */
const selfIdentifyingTokens: RegExp[] = [
  /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g,
  /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /(?<![A-Za-z0-9_-])xox[abposre]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{10,}/g, // Stripe
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /(?<![A-Za-z0-9_-])sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g, // OpenAI / Anthropic style
];

/** Slack incoming-webhook URLs are bearer credentials in their path. */
const slackWebhookPath = /(hooks\.slack\.com\/(?:services|workflows)\/)[A-Za-z0-9/_-]+/g;

/** Telegram bot tokens `123456789:AA…` (35 characters after the colon), also inside `/bot<token>/` API URLs. */
const telegramBotToken = /(?<![A-Za-z0-9_])(bot)?\d{6,12}:[A-Za-z0-9_-]{30,}/g;

/** `Bearer x` / `Basic x` outside a header we already matched, e.g. inside a curl command line or an error message. */
const authorizationScheme = /\b(bearer|basic)(\s+)([A-Za-z0-9._~+/-]+=*)/gi;

/**
 * Whether the word after "Bearer"/"Basic" is a credential rather than prose ("basic authentication"): credentials
 * have digits, punctuation or capitals past the first letter.
 */
function looksLikeCredential(word: string): boolean {
  return word.length >= 8 && (/[\d+/=_.~-]/.test(word) || /[A-Z]/.test(word.slice(1)));
}

export function scrubSecretPatterns(text: string): string {
  let result = text.replace(privateKeyBlock, secret);
  result = result.replace(urlUserInfo, `$1${secret}@`);
  result = result.replace(credentialHeader, (match, name: string, separator: string, ...values: Array<string | undefined>) => {
    const [doubleQuoted, singleQuoted, bare] = values;
    if (doubleQuoted !== undefined) return doubleQuoted === '' ? match : `${name}${separator}"${secret}"`;
    if (singleQuoted !== undefined) return singleQuoted === '' ? match : `${name}${separator}'${secret}'`;
    return bare === undefined || bare === secret ? match : `${name}${separator}${secret}`;
  });
  result = result.replace(jsonWebToken, secret);
  for (const pattern of selfIdentifyingTokens) result = result.replace(pattern, secret);
  result = result.replace(slackWebhookPath, `$1${secret}`);
  result = result.replace(telegramBotToken, (_match, botPrefix?: string) => `${botPrefix ?? ''}${secret}`);
  result = result.replace(authorizationScheme, (match, scheme: string, space: string, word: string) =>
    looksLikeCredential(word) ? `${scheme}${space}${secret}` : match,
  );
  return result;
}
