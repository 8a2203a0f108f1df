export { createLogger, redactSecretsInText, sensitiveKeys, type Logger, type CreateLoggerOptions } from './logger';
