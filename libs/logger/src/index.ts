export { createLogger, redactSecretsInText, redactedPaths, type Logger, type CreateLoggerOptions } from './logger';
