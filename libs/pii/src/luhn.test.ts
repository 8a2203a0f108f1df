import { describe, expect, it } from '@jest/globals';
import { looksLikeCardNumber, passesLuhn } from './luhn';

describe('passesLuhn', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
    ['79927398710', false],
    ['', false],
    ['4111 1111', false],
  ])('%s -> %s', (digits, expected) => {
    expect(passesLuhn(digits)).toBe(expected);
  });
});

describe('looksLikeCardNumber', () => {
  it.each([
    ['4111111111111111', true], // Visa
    ['5555555555554444', true], // Mastercard
    ['2223003122003222', true], // Mastercard 2-series
    ['378282246310005', true], // Amex
    ['6011111111111117', true], // Discover
    ['3530111333300000', true], // JCB
    ['1234567812345670', false], // passes Luhn, no issuer starts with 1
    ['411111111111', false], // too short
  ])('%s -> %s', (digits, expected) => {
    expect(looksLikeCardNumber(digits)).toBe(expected);
  });
});
