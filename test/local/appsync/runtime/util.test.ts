import { describe, expect, it } from 'vitest';
import { newInvocationState, withInvocation } from '../../../../local/appsync/runtime/invocation.ts';
import { ResolverError } from '../../../../local/appsync/runtime/signals.ts';
import * as ddb from '../../../../local/appsync/runtime/modules/dynamodb.ts';
import type { SubscriptionFilter } from '../../../../local/appsync/runtime/types.ts';
import { createExtensions, createUtil } from '../../../../local/appsync/runtime/util/index.ts';

const NOW = Date.parse('2026-03-01T12:34:56.789Z');
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const util = createUtil({ now: () => NOW, logger: silent });
const extensions = createExtensions();

describe('util ids', () => {
  it('makes random v4 UUIDs', () => {
    expect(util.autoId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(util.autoId()).not.toBe(util.autoId());
  });

  it('makes ULIDs that start with the time, so they sort by creation', () => {
    const earlier = createUtil({ now: () => NOW - 1, logger: silent }).autoUlid();
    const id = util.autoUlid();

    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(earlier.slice(0, 10) < id.slice(0, 10)).toBe(true);
  });

  it('makes 27-character base62 KSUIDs', () => {
    expect(util.autoKsuid()).toMatch(/^[0-9A-Za-z]{27}$/);
  });
});

describe('util.time', () => {
  it('reads the clock in ISO 8601, seconds and milliseconds', () => {
    expect(util.time.nowISO8601()).toBe('2026-03-01T12:34:56.789Z');
    expect(util.time.nowEpochSeconds()).toBe(Math.floor(NOW / 1000));
    expect(util.time.nowEpochMilliSeconds()).toBe(NOW);
  });

  it('leaves out a zero fraction in ISO 8601, as Java does', () => {
    expect(util.time.epochMilliSecondsToISO8601(Date.parse('2026-03-01T00:00:00.000Z'))).toBe('2026-03-01T00:00:00Z');
  });

  it.each([
    ["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", undefined, '2026-03-01T12:34:56.789Z'],
    ['yyyy-MM-dd HH:mm:ssZ', undefined, '2026-03-01 12:34:56+0000'],
    ['dd MMM yyyy, EEEE h:mm a', undefined, '01 Mar 2026, Sunday 12:34 PM'],
    ['yyyy-MM-dd HH:mm XXX', 'Europe/Berlin', '2026-03-01 13:34 +01:00'],
    ['HH:mm z', 'America/New_York', '07:34 EST'],
    ["''yy''", undefined, "'26'"],
  ])('formats %s in %s', (format, zone, expected) => {
    expect(util.time.nowFormatted(format, zone)).toBe(expected);
  });

  it('parses formatted and ISO 8601 timestamps to epoch milliseconds', () => {
    expect(util.time.parseFormattedToEpochMilliSeconds('2026-03-01 13:34:56', 'yyyy-MM-dd HH:mm:ss', 'Europe/Berlin')).toBe(NOW - 789);
    expect(util.time.parseFormattedToEpochMilliSeconds('2026-03-01 12:34:56+0100', 'yyyy-MM-dd HH:mm:ssZ')).toBe(NOW - 789 - 3600_000);
    expect(util.time.parseISO8601ToEpochMilliSeconds('2026-03-01T13:34:56.789+01:00')).toBe(NOW);
    expect(util.time.epochMilliSecondsToSeconds(NOW)).toBe(Math.floor(NOW / 1000));
  });

  it('refuses text that does not match the format', () => {
    expect(() => util.time.parseISO8601ToEpochMilliSeconds('yesterday')).toThrow(/could not be parsed/);
    expect(() => util.time.parseFormattedToEpochMilliSeconds('2026/03/01', 'yyyy-MM-dd')).toThrow(/could not be parsed/);
  });
});

describe('util encodings', () => {
  it('url-encodes as application/x-www-form-urlencoded and back', () => {
    expect(util.urlEncode('a b&c=d/é*~')).toBe('a+b%26c%3Dd%2F%C3%A9*%7E');
    expect(util.urlDecode('a+b%26c%3Dd%2F%C3%A9*%7E')).toBe('a b&c=d/é*~');
  });

  it('base64-encodes UTF-8 text and back', () => {
    expect(util.base64Encode('héllo')).toBe('aMOpbGxv');
    expect(util.base64Decode('aMOpbGxv')).toBe('héllo');
  });

  it('escapes JavaScript string content', () => {
    expect(util.escapeJavaScript(`it's "x"\n/é`)).toBe(`it\\'s \\"x\\"\\n\\/\\u00E9`);
  });

  it('matches a whole value against a Java-style pattern', () => {
    expect(util.matches('a*b', 'aaaab')).toBe(true);
    expect(util.matches('a*b', 'aaaabc')).toBe(false);
  });

  it('reads XML into a map', () => {
    expect(util.xml.toMap('<?xml version="1.0"?><posts><post><id>1</id><title>Hi &amp; bye</title></post><post><id>2</id></post></posts>')).toEqual({
      posts: { post: [{ id: 1, title: 'Hi & bye' }, { id: 2 }] },
    });
  });
});

describe('util.dynamodb', () => {
  it('converts JSON to typed values, lists rather than sets, numbers kept as numbers', () => {
    expect(util.dynamodb.toDynamoDB({ foo: 'bar', baz: 1234, beep: ['boop'], ok: true, none: null })).toEqual({
      M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] }, ok: { BOOL: true }, none: { NULL: null } },
    });
    expect(util.dynamodb.toMapValues({ a: 1 })).toEqual({ a: { N: 1 } });
    expect(util.dynamodb.toStringSet(['a', 'b'])).toEqual({ SS: ['a', 'b'] });
    expect(util.dynamodb.toNumberSet([1, 2.5])).toEqual({ NS: [1, 2.5] });
    expect(util.dynamodb.toString(null)).toBeNull();
  });

  it('makes and reads the S3 object representation', () => {
    const s3 = util.dynamodb.toS3Object('k', 'b', 'eu-west-1');
    expect(util.dynamodb.fromS3ObjectJson(s3.S)).toEqual({ key: 'k', bucket: 'b', region: 'eu-west-1' });
  });
});

describe('util.transform', () => {
  it('turns a filter object into a DynamoDB filter expression, placeholders named by where they sit', () => {
    const expression = JSON.parse(util.transform.toDynamoDBFilterExpression({ title: { contains: 'Hello' }, or: [{ votes: { gt: 5 } }, { votes: { between: [0, 1] } }] }) ?? 'null');

    expect(expression).toEqual({
      expression: '(contains(#title,:title_contains)) AND ((#votes > :or_0_votes_gt) OR (#votes BETWEEN :or_1_votes_between_start AND :or_1_votes_between_end))',
      expressionNames: { '#title': 'title', '#votes': 'votes' },
      expressionValues: { ':title_contains': { S: 'Hello' }, ':or_0_votes_gt': { N: 5 }, ':or_1_votes_between_start': { N: 0 }, ':or_1_votes_between_end': { N: 1 } },
    });
  });

  it('gives an empty expression for an empty filter, and none for what is not a filter', () => {
    expect(JSON.parse(util.transform.toDynamoDBFilterExpression({}) ?? 'null')).toEqual({ expression: '', expressionNames: {}, expressionValues: {} });
    expect(util.transform.toDynamoDBFilterExpression({ v: 'x' })).toBeNull();
    expect(util.transform.toDynamoDBFilterExpression({ a: { b: { eq: 1 } } })).toBeNull();
    expect(util.transform.toDynamoDBConditionExpression({ a: { unknown: 1 } })).toBeNull();
  });

  it('turns a filter object into subscription filter groups, one group per alternative', () => {
    expect(util.transform.toSubscriptionFilter({ id: { eq: 'a' }, or: [{ status: { eq: 'LABELLED' } }, { status: { eq: 'FAILED' } }] })).toEqual({
      filterGroup: [
        { filters: [{ fieldName: 'id', operator: 'eq', value: 'a' }, { fieldName: 'status', operator: 'eq', value: 'LABELLED' }] },
        { filters: [{ fieldName: 'id', operator: 'eq', value: 'a' }, { fieldName: 'status', operator: 'eq', value: 'FAILED' }] },
      ],
    });
  });

  it('leaves out ignored fields, inside and/or too', () => {
    expect(util.transform.toSubscriptionFilter({ id: { eq: 'a' }, and: [{ id: { eq: 'b' } }, { status: { eq: 'LABELLED' } }] }, ['id'])).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'status', operator: 'eq', value: 'LABELLED' }] }],
    });
  });

  it('ors the operators of one field and passes operator names through', () => {
    expect(util.transform.toSubscriptionFilter({ size: { gte: 1, lte: 5 } })).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'size', operator: 'gte', value: 1 }] }, { filters: [{ fieldName: 'size', operator: 'lte', value: 5 }] }],
    });
  });

  it('passes a nested field object through as an operator, which setting the filter then refuses loudly', () => {
    const filter = util.transform.toSubscriptionFilter({ error: { code: { beginsWith: 'Invalid' } } });

    expect(filter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'error', operator: 'code', value: { beginsWith: 'Invalid' } }] }] });
    expect(() => withInvocation(newInvocationState('Subscription', 'labelsReady', null), () => extensions.setSubscriptionFilter(filter as SubscriptionFilter))).toThrow(
      /operator 'code' \(on error\) is not one AppSync documents/,
    );
  });

  it('answers null for what it cannot read: null, a JSON string, a field holding a value', () => {
    expect(util.transform.toSubscriptionFilter(null)).toBeNull();
    expect(util.transform.toSubscriptionFilter('{"a":{"eq":1}}')).toBeNull();
    expect(util.transform.toSubscriptionFilter({ a: 1 })).toBeNull();
  });

  it('refuses to set a null filter rather than let every event through', () => {
    const state = newInvocationState('Subscription', 'labelsReady', null);

    expect(() => withInvocation(state, () => extensions.setSubscriptionFilter(null as unknown as SubscriptionFilter))).toThrow(/must be \{ filterGroup/);
  });
});

describe('util errors', () => {
  const state = () => newInvocationState('Mutation', 'createBlob', null);

  it('throw AppSync errors with type, data and errorInfo', () => {
    expect(() => withInvocation(state(), () => util.error('nope', 'ValidationError', { a: 1 }, { field: 'x' }))).toThrow(ResolverError);
    try {
      withInvocation(state(), () => util.error('plain'));
    } catch (error) {
      expect((error as ResolverError).appSyncError).toEqual({ message: 'plain', errorType: 'CustomTemplateException', data: null, errorInfo: null });
    }
  });

  it('name the caller authorization', () => {
    expect(withInvocation(state(), () => util.authType())).toBe('API Key Authorization');
    const iam = newInvocationState('Mutation', 'publishBlobResult', {
      accountId: '1',
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
      sourceIp: [],
      username: 'u',
      userArn: 'arn:aws:iam::1:user/u',
    });
    expect(withInvocation(iam, () => util.authType())).toBe('IAM Authorization');
  });
});

describe('@aws-appsync/utils/dynamodb helpers', () => {
  it('build a conditional PutItem', () => {
    expect(ddb.put({ key: { id: '1' }, item: { name: 'a' }, condition: { id: { attributeExists: false } } })).toEqual({
      operation: 'PutItem',
      key: { id: { S: '1' } },
      attributeValues: { name: { S: 'a' } },
      condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {} },
    });
  });

  it('refuse a condition AppSync would read no expression from, rather than drop it', () => {
    expect(() => ddb.put({ key: { id: '1' }, item: {}, condition: { id: 'x' } as unknown as Record<string, unknown> })).toThrow(/Not a DynamoDB condition/);
  });

  it('build an UpdateItem from values and operations', () => {
    const request = ddb.update({
      key: { id: '1' },
      update: { name: 'b', count: ddb.operations.increment(2), tags: ddb.operations.append(['x']), old: ddb.operations.remove(), address: { city: 'Paris' } },
    });

    expect(request.update).toEqual({
      expression:
        'SET #expName_1 = :expValue_1, #expName_2 = #expName_2 + :expValue_2, #expName_3 = list_append(#expName_3, :expValue_3), #expName_5.#expName_6 = :expValue_4 REMOVE #expName_4',
      expressionNames: { '#expName_1': 'name', '#expName_2': 'count', '#expName_3': 'tags', '#expName_4': 'old', '#expName_5': 'address', '#expName_6': 'city' },
      expressionValues: { ':expValue_1': { S: 'b' }, ':expValue_2': { N: 2 }, ':expValue_3': { L: [{ S: 'x' }] }, ':expValue_4': { S: 'Paris' } },
    });
  });

  it('build a Query on an index with a key condition', () => {
    expect(ddb.query({ index: 'byCreatedAt', query: { entity: { eq: 'Blob' }, createdAt: { beginsWith: '2026' } }, limit: 5, scanIndexForward: false, nextToken: null })).toEqual({
      operation: 'Query',
      index: 'byCreatedAt',
      limit: 5,
      scanIndexForward: false,
      query: {
        expression: '#entity = :entity_eq AND begins_with(#createdAt,:createdAt_beginsWith)',
        expressionNames: { '#entity': 'entity', '#createdAt': 'createdAt' },
        expressionValues: { ':entity_eq': { S: 'Blob' }, ':createdAt_beginsWith': { S: '2026' } },
      },
    });
  });
});
