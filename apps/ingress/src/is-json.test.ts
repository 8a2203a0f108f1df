import { describe, expect, it } from '@jest/globals';
import { isJson } from './webhook-route';

describe('isJson (the content types the webhook takes, as req.is(["application/json", "application/*+json"]) did)', () => {
  it.each<[string | undefined, boolean]>([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    [' application/json ;charset=utf-8', true],
    ['application/vnd.glitchtip+json', true],
    ['application/problem+json; charset=utf-8', true],
    ['text/json', false],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['application/jsonx', false],
    ['application/+json/x', false],
    ['multipart/form-data; boundary=x', false],
    ['', false],
    [undefined, false],
  ])('%p -> %p', (contentType, expected) => {
    expect(isJson(contentType)).toBe(expected);
  });
});
