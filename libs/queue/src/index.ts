export { createProducerConnection, createWorkerConnection, appKey, glitchtipBreakerKey, waitUntilReady } from './connection';
export { defineJob, retryPolicy, safeJobId, type JobContract, type PayloadOf, type PayloadInputOf } from './job-contract';
export { Producer, validatePayload, InvalidPayloadError, EnqueueUnavailableError, type ProducerOptions } from './producer';
