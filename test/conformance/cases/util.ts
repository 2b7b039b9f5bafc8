import { expressions, requestBody, type ConformanceCase } from '../case.ts';
import { doc, recorded } from './sources.ts';

const utilDoc = (section: string) => doc('built-in-util-js', section);

export const utilCases: ConformanceCase[] = [
  ...expressions(utilDoc('util.autoId'), [
    ['util.autoId gives a random UUID', 'util.autoId()', { resultMatches: '^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$' }],
  ]),
  ...expressions(utilDoc('util.autoUlid'), [
    ['util.autoUlid gives a 26-character ULID', 'util.autoUlid()', { resultMatches: '^"[0-9A-HJKMNP-TV-Z]{26}"$' }],
  ]),
  ...expressions(utilDoc('util.autoKsuid: base62, length 27'), [
    ['util.autoKsuid gives a 27-character base62 KSUID', 'util.autoKsuid()', { resultMatches: '^"[0-9A-Za-z]{27}"$' }],
  ]),
  ...expressions(utilDoc('util.matches example'), [
    ['util.matches matches a regular expression against the whole value', 'util.matches("a*b", "aaaaab")', { result: true }],
  ]),
  ...expressions(utilDoc('util.base64Encode / util.base64Decode (UTF-8)'), [
    ['util.base64Encode encodes UTF-8 text', 'util.base64Encode("hello")', { result: 'aGVsbG8=' }],
    ['util.base64Decode decodes to UTF-8 text', 'util.base64Decode("aGVsbG8=")', { result: 'hello' }],
  ]),
  ...expressions(utilDoc('util.urlEncode: application/x-www-form-urlencoded'), [
    ['util.urlEncode encodes as a form value', 'util.urlEncode("a b&c")', { result: 'a+b%26c' }],
    ['util.urlDecode decodes a form value', 'util.urlDecode("a+b%26c")', { result: 'a b&c' }],
  ]),
  ...expressions(doc('str-helpers-in-util-str-js', 'util.str.normalize: nfc, nfd, nfkc, nfkd'), [
    ['util.str.normalize composes with nfc', 'util.str.normalize("e\\u0301", "nfc")', { result: 'é' }],
    ['util.str.normalize decomposes with nfd', 'util.str.normalize("é", "nfd").length', { result: 2 }],
  ]),
  ...expressions(doc('math-helpers-in-util-math-js', 'util.math'), [
    ['util.math.roundNum rounds to the nearest integer', 'util.math.roundNum(2.6)', { result: 3 }],
    ['util.math.minVal gives the smaller number', 'util.math.minVal(2.5, 7)', { result: 2.5 }],
    ['util.math.maxVal gives the larger number', 'util.math.maxVal(2.5, 7)', { result: 7 }],
    ['util.math.randomDouble gives a number between 0 and 1', 'util.math.randomDouble()', { resultMatches: '^0(\\.\\d+)?(e-\\d+)?$' }],
    ['util.math.randomWithinRange gives an integer in the range', 'util.math.randomWithinRange(5, 5)', { result: 5 }],
  ]),
  {
    name: 'util.error stops the handler with its message',
    source: recorded('resolvers', 'error handling error 1'),
    code: requestBody('  util.error("foo");'),
    expect: { error: 'foo' },
  },
  {
    name: 'util.unauthorized stops the handler with "Unauthorized"',
    source: recorded('resolvers', 'error handling unauthorized 1'),
    code: requestBody('  util.unauthorized();'),
    expect: { error: 'Unauthorized' },
  },
  {
    name: 'util.appendError does not stop the handler',
    source: utilDoc('util.appendError: unlike util.error, the evaluation is not interrupted'),
    code: requestBody('  util.appendError("recorded", "Custom");\n  return "went on";'),
    expect: { result: 'went on' },
  },
  {
    name: 'runtime.earlyReturn ends the handler with the object given',
    source: doc('runtime-utils-js', 'runtime.earlyReturn example: "the specified object is returned as the result"'),
    context: { arguments: { id: 'x' } },
    code: requestBody("  runtime.earlyReturn({ hello: 'world' });\n  return ctx.args;"),
    expect: { result: { hello: 'world' } },
  },
  {
    name: 'a raw Query request keeps its expressions and typed values',
    source: recorded('resolvers', 'dynamodb resolvers something 1'),
    context: { arguments: { filter: { line: 'test', shift: 10 } } },
    code: requestBody(`  return {
    operation: 'Query',
    index: 'nameIndex',
    select: 'ALL_ATTRIBUTES',
    query: { expression: '#name = :name', expressionNames: { '#name': 'name' }, expressionValues: { ':name': util.dynamodb.toDynamoDB(ctx.arguments.filter.line) } },
    filter: { expression: '#shift = :shift', expressionNames: { '#shift': 'shift' }, expressionValues: { ':shift': util.dynamodb.toDynamoDB(ctx.arguments.filter.shift) } },
  };`),
    expect: {
      result: {
        operation: 'Query',
        index: 'nameIndex',
        select: 'ALL_ATTRIBUTES',
        query: { expression: '#name = :name', expressionNames: { '#name': 'name' }, expressionValues: { ':name': { S: 'test' } } },
        filter: { expression: '#shift = :shift', expressionNames: { '#shift': 'shift' }, expressionValues: { ':shift': { N: 10 } } },
      },
    },
  },
  {
    name: 'a response handler reads ctx.result',
    source: recorded('resolvers', 'dynamodb resolvers something 2'),
    function: 'response',
    context: { result: { items: [{ a: 10 }] } },
    code: requestBody('  return {};').replace('return ctx.result;', 'return ctx.result.items;'),
    expect: { result: [{ a: 10 }] },
  },
];
