import { buildSchema, GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { installAwsScalars, ScalarParseError } from '../../../local/appsync/scalars.ts';

const schema = buildSchema(`
  scalar AWSDate scalar AWSTime scalar AWSDateTime scalar AWSTimestamp scalar AWSEmail
  scalar AWSJSON scalar AWSURL scalar AWSPhone scalar AWSIPAddress
  type Query { ok: Boolean }
`);
installAwsScalars(schema);

function scalar(name: string): GraphQLScalarType {
  return schema.getType(name) as GraphQLScalarType;
}

describe('AppSync scalars', () => {
  it.each([
    ['AWSDate', '1970-01-01'],
    ['AWSDate', '1970-01-01Z'],
    ['AWSDate', '1970-01-01-07:00'],
    ['AWSDate', '2024-02-29'],
    ['AWSTime', '12:00'],
    ['AWSTime', '12:00:00.277Z'],
    ['AWSTime', '12:30:24.123456789-07:00'],
    ['AWSDateTime', '1970-01-01T12:00:00.000Z'],
    ['AWSDateTime', '2020-01-01T00:00+00:00'],
    ['AWSDateTime', '1970-01-01T12:00:00+05:30:10'],
    ['AWSEmail', 'a@b'],
    ['AWSEmail', 'jeff@amazon.com'],
    ['AWSURL', 'https://www.amazon.com/dp/B000NZW3KC/'],
    ['AWSURL', 'mailto:example@example.com'],
    ['AWSURL', 'http://127.0.0.1:8080/callback?x=1'],
    ['AWSPhone', '+1 555-123-4567'],
    ['AWSPhone', '(555) 123 4567'],
    ['AWSIPAddress', '10.0.0.1'],
    ['AWSIPAddress', '10.0.0.0/8'],
    ['AWSIPAddress', '::1'],
    ['AWSIPAddress', '2001:db8::/32'],
  ])('accepts %s %j', (name, value) => {
    expect(scalar(name).parseValue(value)).toBe(value);
  });

  it.each([
    ['AWSDate', '1970-13-01'],
    ['AWSDate', '2023-02-29'],
    ['AWSDate', '01/01/1970'],
    ['AWSTime', '25:00'],
    ['AWSDateTime', '1970-01-01T12:00:00'],
    ['AWSDateTime', '1970-01-01'],
    ['AWSDateTime', 'yesterday'],
    ['AWSEmail', 'not-an-email'],
    ['AWSURL', 'not a url'],
    ['AWSURL', 'example.com/path'],
    ['AWSURL', 'https://example.com//double'],
    ['AWSPhone', 'call me'],
    ['AWSIPAddress', '300.1.1.1'],
    ['AWSIPAddress', '10.0.0.0/33'],
    ['AWSTimestamp', 1.5],
    ['AWSTimestamp', '1700000000'],
    ['AWSJSON', '{not json'],
    ['AWSJSON', { a: 1 }],
  ])('refuses %s %j with a ScalarParseError', (name, value) => {
    expect(() => scalar(name).parseValue(value)).toThrow(ScalarParseError);
  });

  it('gives resolvers the parsed value of an AWSJSON input', () => {
    expect(scalar('AWSJSON').parseValue('{"a":[1,2]}')).toEqual({ a: [1, 2] });
  });

  it('serialises an AWSJSON object to a JSON string and leaves a string as it is', () => {
    expect(scalar('AWSJSON').serialize({ 'content-type': 'image/png' })).toBe('{"content-type":"image/png"}');
    expect(scalar('AWSJSON').serialize('{"a":1}')).toBe('{"a":1}');
  });

  it('accepts an epoch-seconds integer as AWSTimestamp', () => {
    expect(scalar('AWSTimestamp').parseValue(1700000000)).toBe(1700000000);
  });

  it('says which value it could not parse, in AppSync\'s words', () => {
    expect(() => scalar('AWSDateTime').parseValue('2019')).toThrow('Unable to parse `2019` as a valid DateTime Object.');
  });
});
