import { expressions, type ConformanceCase } from '../case.ts';
import { doc, recorded } from './sources.ts';

const page = (entry: string) => `${recorded('index', entry)}; inputs from ${doc('dynamodb-helpers-in-util-dynamodb-js', 'util.dynamodb')}`;

const row = (entry: string, expression: string, result: unknown) => ({ entry, expression, result });

const rows = [
  row('dynamodb helpers toDynamoDB string 1', 'util.dynamodb.toDynamoDB("test")', { S: 'test' }),
  row('dynamodb helpers toDynamoDB number 1', 'util.dynamodb.toDynamoDB(12345)', { N: 12345 }),
  row('dynamodb helpers toDynamoDB boolean 1', 'util.dynamodb.toDynamoDB(true)', { BOOL: true }),
  row('dynamodb helpers toString 1', 'util.dynamodb.toString("test")', { S: 'test' }),
  row('dynamodb helpers toStringSet 1', 'util.dynamodb.toStringSet(["foo", "bar", "baz"])', { SS: ['foo', 'bar', 'baz'] }),
  row('dynamodb helpers toNumber 1', 'util.dynamodb.toNumber(12345)', { N: 12345 }),
  row('dynamodb helpers toNumberSet 1', 'util.dynamodb.toNumberSet([1, 23, 4.56])', { NS: [1, 23, 4.56] }),
  row('dynamodb helpers toBinary 1', 'util.dynamodb.toBinary("foo")', { B: 'foo' }),
  row('dynamodb helpers toBinarySet 1', 'util.dynamodb.toBinarySet(["foo", "bar", "baz"])', { BS: ['foo', 'bar', 'baz'] }),
  row('dynamodb helpers toBoolean 1', 'util.dynamodb.toBoolean(true)', { BOOL: true }),
  row('dynamodb helpers toNull 1', 'util.dynamodb.toNull()', { NULL: null }),
  row('dynamodb helpers toList 1', 'util.dynamodb.toList(["foo", 123, { bar: "baz" }])', {
    L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
  }),
  row('dynamodb helpers toMap 1', 'util.dynamodb.toMap({ foo: "bar", baz: 1234, beep: ["boop"] })', {
    M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
  }),
  row('dynamodb helpers toMapValues 1', 'util.dynamodb.toMapValues({ foo: "bar", baz: 1234, beep: ["boop"] })', {
    foo: { S: 'bar' },
    baz: { N: 1234 },
    beep: { L: [{ S: 'boop' }] },
  }),
  row('dynamodb helpers s3 objects three parameter function 1', 'util.dynamodb.toS3Object("foo", "bar", "baz")', {
    S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}',
  }),
  row('dynamodb helpers s3 objects four parameter function 1', 'util.dynamodb.toS3Object("foo", "bar", "baz", "beep")', {
    S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}',
  }),
];

export const utilDynamodbCases: ConformanceCase[] = rows.flatMap(({ entry, expression, result }) =>
  expressions(page(entry), [[`util.dynamodb: ${expression} gives AppSync's typed value`, expression, { result }]]),
);
