// What an error card says under the message (web/errors.js): the API's errorInfo turned into what to do.
import { describe, expect, it } from 'vitest';
import { ApiError, errorDetails, formatDuration } from '../../web/errors.js';

const NOW = Date.parse('2026-12-01T20:30:00Z');

describe('error details', () => {
  it('says the limit and when the quota resets for QuotaExceeded', () => {
    const error = new ApiError('GraphQL', 'QuotaExceeded', 'Upload quota reached', { info: { limit: 500, resetsAt: '2026-12-02T00:00:00.000Z' } });

    const [limit, resets] = errorDetails(error, { now: NOW });

    expect(limit).toBe('Limit: 500 uploads per day.');
    expect(resets).toMatch(/^The quota resets at .+ \(in 3 h 30 min\)\.$/);
  });

  it('says how long to wait for TooManyRequests', () => {
    const error = new ApiError('GraphQL', 'TooManyRequests', 'The webhook was sent less than 60 s ago', { info: { retryAfterSeconds: 42 } });

    expect(errorDetails(error)).toEqual(['Try again in 42 s.']);
  });

  it.each([
    ['UnauthorizedException', 'sign in again'],
    ['Unauthorized', 'sign in again'],
    ['BlobDeleted', 'deleted before it was labelled'],
    ['UsernameExistsException', 'Sign in with this email instead'],
  ])('tells what to do about %s', (type, advice) => {
    expect(errorDetails(new ApiError('GraphQL', type, 'message')).join(' ')).toContain(advice);
  });

  it("names the field of a ValidationError and lists the error's own details first", () => {
    const error = new ApiError('GraphQL', 'ValidationError', 'minConfidence must be 0..100', { details: ['Error: another'], info: { field: 'minConfidence' } });

    expect(errorDetails(error)).toEqual(['Error: another', 'field: minConfidence']);
  });

  it('repeats the password rules for InvalidPasswordException', () => {
    const error = new ApiError('Cognito', 'InvalidPasswordException', 'Password did not conform with policy');

    expect(errorDetails(error, { passwordRules: 'Passwords need at least 8 characters.' })).toEqual(['Passwords need at least 8 characters.']);
  });

  it.each([
    [0, '0 s'],
    [1, '1 s'],
    [119_000, '119 s'],
    [120_000, '2 min'],
    [3_600_000, '1 h'],
    [12_600_000, '3 h 30 min'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
