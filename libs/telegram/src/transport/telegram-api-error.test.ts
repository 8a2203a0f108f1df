import { describe, it, expect } from '@jest/globals';
import { classifyTelegramError, type TelegramErrorResponse, type TelegramFailureClassification } from './telegram-api-error';

describe('classifyTelegramError', () => {
  const cases: Array<{ response: TelegramErrorResponse; expected: TelegramFailureClassification }> = [
    {
      response: { errorCode: 429, description: 'Too Many Requests: retry after 17', parameters: { retry_after: 17 } },
      expected: { kind: 'rate-limited', retryable: true, retryAfterSeconds: 17 },
    },
    { response: { errorCode: 429, description: 'Too Many Requests: retry after 4' }, expected: { kind: 'rate-limited', retryable: true, retryAfterSeconds: 4 } },
    { response: { errorCode: 429, description: 'Too Many Requests' }, expected: { kind: 'rate-limited', retryable: true, retryAfterSeconds: 1 } },
    {
      response: { errorCode: 400, description: 'Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 0' },
      expected: { kind: 'parse-entities', retryable: false },
    },
    { response: { errorCode: 400, description: 'Bad Request: message is too long' }, expected: { kind: 'message-too-long', retryable: false } },
    { response: { errorCode: 400, description: 'Bad Request: message caption is too long' }, expected: { kind: 'message-too-long', retryable: false } },
    {
      response: { errorCode: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same' },
      expected: { kind: 'not-modified', retryable: false },
    },
    { response: { errorCode: 400, description: 'Bad Request: message to edit not found' }, expected: { kind: 'edit-target-missing', retryable: false } },
    { response: { errorCode: 400, description: "Bad Request: message can't be edited" }, expected: { kind: 'edit-target-missing', retryable: false } },
    {
      response: { errorCode: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1001234 } },
      expected: { kind: 'chat-migrated', retryable: false, newChatId: -1001234 },
    },
    { response: { errorCode: 403, description: 'Forbidden: bot was blocked by the user' }, expected: { kind: 'forbidden', retryable: false } },
    { response: { errorCode: 403, description: 'Forbidden: bot was kicked from the group chat' }, expected: { kind: 'forbidden', retryable: false } },
    {
      response: { errorCode: 400, description: 'Bad Request: not enough rights to send text messages to the chat' },
      expected: { kind: 'forbidden', retryable: false },
    },
    { response: { errorCode: 400, description: 'Bad Request: chat not found' }, expected: { kind: 'chat-not-found', retryable: false } },
    { response: { errorCode: 400, description: 'Bad Request: message thread not found' }, expected: { kind: 'thread-not-found', retryable: false } },
    { response: { errorCode: 400, description: 'Bad Request: TOPIC_CLOSED' }, expected: { kind: 'thread-not-found', retryable: false } },
    { response: { errorCode: 400, description: 'Bad Request: BUTTON_DATA_INVALID' }, expected: { kind: 'bad-request', retryable: false } },
    { response: { errorCode: 409, description: 'Conflict: terminated by other getUpdates request' }, expected: { kind: 'bad-request', retryable: false } },
    { response: { errorCode: 401, description: 'Unauthorized' }, expected: { kind: 'unauthorized', retryable: false } },
    { response: { errorCode: 404, description: 'Not Found' }, expected: { kind: 'unauthorized', retryable: false } },
    { response: { errorCode: 500, description: 'Internal Server Error' }, expected: { kind: 'server', retryable: true } },
    { response: { errorCode: 502, description: 'HTTP 502 with a body that is not a Bot API response' }, expected: { kind: 'server', retryable: true } },
  ];

  it.each(cases)('$response.errorCode $response.description', ({ response, expected }) => {
    expect(classifyTelegramError(response)).toEqual(expected);
  });
});
