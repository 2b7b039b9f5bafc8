// Which DynamoDB failure of Query.blobs is the client's: only AppSync's answer to a nextToken it did not issue.
import { describe, expect, it, vi } from 'vitest';

/** util.error as AppSync's runtime treats it: it stops the resolver with that error. */
vi.mock('@aws-appsync/utils', () => ({
  util: {
    error: (message: string, type: string, _data: unknown, info: unknown) => {
      throw Object.assign(new Error(message), { type, info });
    },
  },
}));

const { raiseBadNextToken } = await import('../../../resolvers/lib/list-blobs.ts');

const INVALID_TOKEN = {
  type: 'DynamoDB:UserIllegalArgumentException',
  message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
};

describe('raiseBadNextToken', () => {
  it('reports a nextToken AppSync did not issue as the client\'s ValidationError', () => {
    expect(() => raiseBadNextToken(INVALID_TOKEN, 'bm90LWEtdG9rZW4=')).toThrow(
      expect.objectContaining({ type: 'ValidationError', info: { field: 'nextToken' } }),
    );
  });

  it.each([
    ['the local DynamoDB', 'DynamoDB:ValidationException'],
    ['AppSync', 'DynamoDB:DynamoDbException'],
  ])('reports a token of another owner\'s list (a starting key outside the query) as the client\'s ValidationError, as %s types it', (_where, type) => {
    const outside = { type, message: 'The provided starting key is outside query boundaries based on provided conditions (Service: DynamoDb, Status Code: 400, Request ID: local)' };

    expect(() => raiseBadNextToken(outside, 'eyJ2IjoxfQ==')).toThrow(
      expect.objectContaining({ type: 'ValidationError', info: { field: 'nextToken' } }),
    );
  });

  it.each([
    ['a failure whose message speaks of a token', { type: 'DynamoDB:UnrecognizedClientException', message: 'The security token included in the request is invalid.' }],
    ['throttling', { type: 'DynamoDB:ProvisionedThroughputExceededException', message: 'Rate of requests exceeds the allowed throughput.' }],
    ['another illegal argument', { type: 'DynamoDB:UserIllegalArgumentException', message: 'One or more parameter values were invalid' }],
  ])('leaves %s to the data source error, even with a nextToken', (_case, error) => {
    expect(() => raiseBadNextToken(error, 'eyJ2IjoxfQ==')).not.toThrow();
  });

  it('leaves the invalid-token answer alone on a first page (no token was sent: not the client\'s doing)', () => {
    expect(() => raiseBadNextToken(INVALID_TOKEN, null)).not.toThrow();
  });
});
