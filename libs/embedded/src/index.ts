export { startPrivateRedis, ensureRedisPassword, findOnPath, MissingBinaryError, type RunningService, type PrivateRedisOptions } from './private-redis';
export { startEmbeddedPostgres, findRunningEmbeddedPostgres, blockingAncestor, UnreachableDataDirError, type EmbeddedPostgresOptions } from './embedded-postgres';
export { findFreePort, waitForPort } from './free-port';
export { ensureWebhookToken, readWebhookToken } from './webhook-token';
