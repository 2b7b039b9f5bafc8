// util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression: inputs and AppSync's answers as
// EvaluateCode recorded them. The answers are compared parsed (AppSync orders expressionNames/Values by nothing in
// particular); two cases keep the JSON text to pin its serialisation.
import { expressions, type ConformanceCase, type Expectation } from '../case.ts';
import { recorded } from './sources.ts';

const entry = (name: string) => recorded('transform', `DynamoDB expression transforms ${name} 1`);

type Values = Record<string, unknown>;
const rendered = (expression: string, expressionNames: Record<string, string>, expressionValues: Values = {}): Expectation => ({
  result: { expression, expressionNames, expressionValues },
});

/** [snapshot entry, filter source, expectation, entry point] */
type Row = readonly [string, string, Expectation, ('filter' | 'condition')?];

const S = (v: string) => ({ S: v });
const N = (v: number) => ({ N: v });

const rows: Row[] = [
  ['comparison operators eq', '{ v: { eq: "x" } }', rendered('(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': S('x') })],
  ['comparison operators ne', '{ v: { ne: "x" } }', rendered('(#v <> :v_ne)', { '#v': 'v' }, { ':v_ne': S('x') })],
  ['comparison operators lt', '{ v: { lt: "x" } }', rendered('(#v < :v_lt)', { '#v': 'v' }, { ':v_lt': S('x') })],
  ['comparison operators le', '{ v: { le: "x" } }', rendered('(#v <= :v_le)', { '#v': 'v' }, { ':v_le': S('x') })],
  ['comparison operators gt', '{ v: { gt: "x" } }', rendered('(#v > :v_gt)', { '#v': 'v' }, { ':v_gt': S('x') })],
  ['comparison operators ge', '{ v: { ge: "x" } }', rendered('(#v >= :v_ge)', { '#v': 'v' }, { ':v_ge': S('x') })],
  ['the type of an operand a number keeps its numeric type', '{ v: { eq: 10 } }', rendered('(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': N(10) })],
  ['the type of an operand a fractional number', '{ v: { eq: 1.5 } }', rendered('(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': N(1.5) })],
  ['the type of an operand a boolean', '{ v: { eq: true } }', rendered('(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': { BOOL: true } })],
  ['the type of an operand null', '{ v: { eq: null } }', rendered('(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': { NULL: null } })],
  ['the type of an operand an object', '{ v: { eq: { a: 1 } } }', rendered('(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': { M: { a: N(1) } } })],
  ['the type of an operand a list', '{ v: { eq: [1, 2] } }', rendered('(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': { L: [N(1), N(2)] } })],
  ['function operators contains leaves no space after the comma', '{ v: { contains: "x" } }', rendered('(contains(#v,:v_contains))', { '#v': 'v' }, { ':v_contains': S('x') })],
  ['function operators notContains', '{ v: { notContains: "x" } }', rendered('(NOT contains(#v,:v_notContains))', { '#v': 'v' }, { ':v_notContains': S('x') })],
  ['function operators beginsWith', '{ v: { beginsWith: "x" } }', rendered('(begins_with(#v,:v_beginsWith))', { '#v': 'v' }, { ':v_beginsWith': S('x') })],
  ['between names its bounds start and end', '{ v: { between: ["1", "9"] } }', rendered('(#v BETWEEN :v_between_start AND :v_between_end)', { '#v': 'v' }, { ':v_between_start': S('1'), ':v_between_end': S('9') })],
  ['between numeric bounds', '{ v: { between: [1, 9] } }', rendered('(#v BETWEEN :v_between_start AND :v_between_end)', { '#v': 'v' }, { ':v_between_start': N(1), ':v_between_end': N(9) })],
  ['between ignores anything past the second bound', '{ v: { between: ["1", "9", "3"] } }', rendered('(#v BETWEEN :v_between_start AND :v_between_end)', { '#v': 'v' }, { ':v_between_start': S('1'), ':v_between_end': S('9') })],
  ['in separates its values with a comma and a space', '{ v: { in: ["a", "b"] } }', rendered('(#v IN (:v_in_0, :v_in_1))', { '#v': 'v' }, { ':v_in_0': S('a'), ':v_in_1': S('b') })],
  ['in a single value', '{ v: { in: ["a"] } }', rendered('(#v IN (:v_in_0))', { '#v': 'v' }, { ':v_in_0': S('a') })],
  ['attributeExists true asks whether the attribute exists', '{ v: { attributeExists: true } }', rendered('(attribute_exists(#v))', { '#v': 'v' })],
  ['attributeExists false asks whether it does not', '{ v: { attributeExists: false } }', rendered('(attribute_not_exists(#v))', { '#v': 'v' })],
  [
    'attributeType every friendly type name becomes its DynamoDB type code',
    '{ a: { attributeType: "_null" }, b: { attributeType: "string" }, c: { attributeType: "stringSet" }, d: { attributeType: "number" }, e: { attributeType: "numberSet" }, f: { attributeType: "binary" }, g: { attributeType: "binarySet" }, h: { attributeType: "boolean" }, i: { attributeType: "list" }, j: { attributeType: "map" } }',
    rendered(
      'abcdefghij'.split('').map((f) => `(attribute_type(#${f},:${f}_attributeType))`).join(' AND '),
      Object.fromEntries('abcdefghij'.split('').map((f) => [`#${f}`, f])),
      Object.fromEntries(['NULL', 'S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'L', 'M'].map((code, i) => [`:${'abcdefghij'[i]}_attributeType`, S(code)])),
    ),
  ],
  ['size compares the size of the attribute', '{ v: { size: { gt: 2 } } }', rendered('(size(#v) > :v_size_gt)', { '#v': 'v' }, { ':v_size_gt': N(2) })],
  ['size combines with a range', '{ v: { size: { between: [1, 3] } } }', rendered('(size(#v) BETWEEN :v_size_between_start AND :v_size_between_end)', { '#v': 'v' }, { ':v_size_between_start': N(1), ':v_size_between_end': N(3) })],
  ['size combines with a function', '{ v: { size: { contains: "x" } } }', rendered('(contains(size(#v),:v_size_contains))', { '#v': 'v' }, { ':v_size_contains': S('x') })],
  ['size combines with attributeExists', '{ v: { size: { attributeExists: true } } }', rendered('(attribute_exists(size(#v)))', { '#v': 'v' })],
  ['size two comparisons on one size', '{ v: { size: { gt: 2, lt: 5 } } }', rendered('((size(#v) > :v_size_gt) AND (size(#v) < :v_size_lt))', { '#v': 'v' }, { ':v_size_gt': N(2), ':v_size_lt': N(5) })],
  ['size nesting size names the value again without nesting the call', '{ v: { size: { size: { gt: 1 } } } }', rendered('(size(#v) > :v_size_size_gt)', { '#v': 'v' }, { ':v_size_size_gt': N(1) })],
  ['grouping two fields at the top level are joined without being wrapped', '{ a: { eq: 1 }, b: { eq: 2 } }', rendered('(#a = :a_eq) AND (#b = :b_eq)', { '#a': 'a', '#b': 'b' }, { ':a_eq': N(1), ':b_eq': N(2) })],
  ['grouping a field carrying two operators is wrapped', '{ v: { ge: 1, le: 5 } }', rendered('((#v >= :v_ge) AND (#v <= :v_le))', { '#v': 'v' }, { ':v_ge': N(1), ':v_le': N(5) })],
  ['grouping an and of one member is not wrapped', '{ and: [{ a: { eq: 1 } }] }', rendered('(#a = :and_0_a_eq)', { '#a': 'a' }, { ':and_0_a_eq': N(1) })],
  ['grouping an and of two members is wrapped', '{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }', rendered('((#a = :and_0_a_eq) AND (#b = :and_1_b_eq))', { '#a': 'a', '#b': 'b' }, { ':and_0_a_eq': N(1), ':and_1_b_eq': N(2) })],
  ['grouping an or of two members', '{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }', rendered('((#a = :or_0_a_eq) OR (#b = :or_1_b_eq))', { '#a': 'a', '#b': 'b' }, { ':or_0_a_eq': N(1), ':or_1_b_eq': N(2) })],
  ['grouping not of a single comparison', '{ not: { a: { eq: 1 } } }', rendered('(NOT (#a = :not_a_eq))', { '#a': 'a' }, { ':not_a_eq': N(1) })],
  ['grouping not of a group', '{ not: { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] } }', rendered('(NOT ((#a = :not_and_0_a_eq) AND (#b = :not_and_1_b_eq)))', { '#a': 'a', '#b': 'b' }, { ':not_and_0_a_eq': N(1), ':not_and_1_b_eq': N(2) })],
  ['grouping not of a not', '{ not: { not: { a: { eq: 1 } } } }', rendered('(NOT (NOT (#a = :not_not_a_eq)))', { '#a': 'a' }, { ':not_not_a_eq': N(1) })],
  ['grouping not inside an and', '{ and: [{ not: { a: { eq: 1 } } }, { b: { eq: 2 } }] }', rendered('((NOT (#a = :and_0_not_a_eq)) AND (#b = :and_1_b_eq))', { '#a': 'a', '#b': 'b' }, { ':and_0_not_a_eq': N(1), ':and_1_b_eq': N(2) })],
  ['grouping an and inside an or', '{ or: [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] }', rendered('(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))', { '#a': 'a', '#b': 'b', '#c': 'c' }, { ':or_0_and_0_a_eq': N(1), ':or_0_and_1_b_eq': N(2), ':or_1_c_eq': N(3) })],
  ['grouping an or inside an and', '{ and: [{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] }', rendered('(((#a = :and_0_or_0_a_eq) OR (#b = :and_0_or_1_b_eq)) AND (#c = :and_1_c_eq))', { '#a': 'a', '#b': 'b', '#c': 'c' }, { ':and_0_or_0_a_eq': N(1), ':and_0_or_1_b_eq': N(2), ':and_1_c_eq': N(3) })],
  ['grouping value names carry every level of the nesting', '{ and: [{ or: [{ and: [{ a: { eq: 1 } }] }] }] }', rendered('(#a = :and_0_or_0_and_0_a_eq)', { '#a': 'a' }, { ':and_0_or_0_and_0_a_eq': N(1) })],
  ['grouping a field beside a group', '{ a: { eq: 1 }, and: [{ b: { eq: 2 } }] }', rendered('(#a = :a_eq) AND (#b = :and_0_b_eq)', { '#a': 'a', '#b': 'b' }, { ':a_eq': N(1), ':and_0_b_eq': N(2) })],
  ['grouping a field name is used verbatim, dots included', '{ "a.b": { eq: 1 } }', rendered('(#a.b = :a.b_eq)', { '#a.b': 'a.b' }, { ':a.b_eq': N(1) })],
  ['filters that render no expression an empty filter', '{}', rendered('', {})],
  ['filters that render no expression an empty group', '{ and: [] }', rendered('', {})],
  ['filters that render no expression a field without operators keeps its name', '{ v: {} }', rendered('', { '#v': 'v' })],
  ['filters that render no expression a size without operators keeps the name of its field', '{ v: { size: {} } }', rendered('', { '#v': 'v' })],
  ['filters that render no expression not of an empty filter', '{ not: {} }', rendered('(NOT )', {})],
  ['filters that render no expression an empty list of values', '{ v: { in: [] } }', rendered('(null)', { '#v': 'v' })],
  ['filters that render no expression an empty field beside a comparison leaves a dangling joiner', '{ a: { eq: 1 }, b: {} }', rendered('(#a = :a_eq) AND ', { '#a': 'a', '#b': 'b' }, { ':a_eq': N(1) })],
  ['filters that render no expression an empty member of a group leaves a dangling joiner', '{ and: [{ a: { eq: 1 } }, {}] }', rendered('((#a = :and_0_a_eq) AND )', { '#a': 'a' }, { ':and_0_a_eq': N(1) })],
  ['filters that cannot be rendered no filter at all', '', { result: null }],
  ['filters that cannot be rendered null', 'null', { result: null }],
  ['filters that cannot be rendered an array', '[]', { result: null }],
  ['filters that cannot be rendered a string', '"string"', { result: null }],
  ['filters that cannot be rendered an unknown operator', '{ v: { foo: 1 } }', { result: null }],
  ['filters that cannot be rendered a field holding a value instead of operators', '{ v: "x" }', { result: null }],
  ['filters that cannot be rendered a field nested in a field', '{ a: { b: { eq: 1 } } }', { result: null }],
  ['filters that cannot be rendered an and given a map instead of a list', '{ and: { a: { eq: 1 } } }', { result: null }],
  ['filters that cannot be rendered an and given null', '{ and: null }', { result: null }],
  ['filters that cannot be rendered a group holding a null member', '{ and: [{ a: { eq: 1 } }, null] }', { result: null }],
  ['filters that cannot be rendered a not given a list', '{ not: [{ a: { eq: 1 } }] }', { result: null }],
  ['filters that cannot be rendered a range with a single bound', '{ v: { between: [1] } }', { result: null }],
  ['filters that cannot be rendered a range that is not a list', '{ v: { between: "x" } }', { result: null }],
  ['filters that cannot be rendered a list of values that is not a list', '{ v: { in: "x" } }', { result: null }],
  ['filters that cannot be rendered attributeExists given something other than a boolean', '{ v: { attributeExists: "yes" } }', { result: null }],
  ['filters that cannot be rendered attributeType given a type code instead of a type name', '{ v: { attributeType: "S" } }', { result: null }],
  ['filters that cannot be rendered attributeType given an unknown name', '{ v: { attributeType: "bogus" } }', { result: null }],
  ['filters that cannot be rendered size given a value instead of operators', '{ v: { size: 3 } }', { result: null }],
  ['both entry points render a filter the same way a comparison as a filter', '{ content: { eq: "x" } }', rendered('(#content = :content_eq)', { '#content': 'content' }, { ':content_eq': S('x') })],
  ['both entry points render a filter the same way a comparison as a condition', '{ content: { eq: "x" } }', rendered('(#content = :content_eq)', { '#content': 'content' }, { ':content_eq': S('x') }), 'condition'],
  ['both entry points render a filter the same way a group of two members as a filter', '{ and: [{ content: { eq: "x" } }, { version: { attributeExists: true } }] }', rendered('((#content = :and_0_content_eq) AND (attribute_exists(#version)))', { '#content': 'content', '#version': 'version' }, { ':and_0_content_eq': S('x') })],
  ['both entry points render a filter the same way a group of two members as a condition', '{ and: [{ content: { eq: "x" } }, { version: { attributeExists: true } }] }', rendered('((#content = :and_0_content_eq) AND (attribute_exists(#version)))', { '#content': 'content', '#version': 'version' }, { ':and_0_content_eq': S('x') }), 'condition'],
  ['both entry points render a filter the same way a negated range as a filter', '{ not: { id: { between: ["1", "9"] } } }', rendered('(NOT (#id BETWEEN :not_id_between_start AND :not_id_between_end))', { '#id': 'id' }, { ':not_id_between_start': S('1'), ':not_id_between_end': S('9') })],
  ['both entry points render a filter the same way a negated range as a condition', '{ not: { id: { between: ["1", "9"] } } }', rendered('(NOT (#id BETWEEN :not_id_between_start AND :not_id_between_end))', { '#id': 'id' }, { ':not_id_between_start': S('1'), ':not_id_between_end': S('9') }), 'condition'],
  ['Amplify model operations the condition guarding a create', '{ and: [{ id: { attributeExists: false } }] }', rendered('(attribute_not_exists(#id))', { '#id': 'id' }), 'condition'],
  ['Amplify model operations the condition guarding an update', '{ and: [{ id: { attributeExists: true } }, { _version: { eq: 1 } }] }', rendered('((attribute_exists(#id)) AND (#_version = :and_1__version_eq))', { '#id': 'id', '#_version': '_version' }, { ':and_1__version_eq': N(1) }), 'condition'],
  ['Amplify model operations a list filter matching content', '{ content: { contains: "foo" } }', rendered('(contains(#content,:content_contains))', { '#content': 'content' }, { ':content_contains': S('foo') })],
  ['Amplify model operations a list filter combining content and a flag', '{ and: [{ content: { contains: "a" } }, { done: { eq: true } }] }', rendered('((contains(#content,:and_0_content_contains)) AND (#done = :and_1_done_eq))', { '#content': 'content', '#done': 'done' }, { ':and_0_content_contains': S('a'), ':and_1_done_eq': { BOOL: true } })],
  ['Amplify model operations a list filter combining a prefix and a range', '{ or: [{ content: { beginsWith: "a" } }, { id: { between: ["1", "9"] } }] }', rendered('((begins_with(#content,:or_0_content_beginsWith)) OR (#id BETWEEN :or_1_id_between_start AND :or_1_id_between_end))', { '#content': 'content', '#id': 'id' }, { ':or_0_content_beginsWith': S('a'), ':or_1_id_between_start': S('1'), ':or_1_id_between_end': S('9') })],
];

const call = (source: string, entryPoint: 'filter' | 'condition') =>
  `util.transform.${entryPoint === 'filter' ? 'toDynamoDBFilterExpression' : 'toDynamoDBConditionExpression'}(${source})`;

export const transformExpressionCases: ConformanceCase[] = [
  ...rows.flatMap(([name, source, expect, entryPoint = 'filter']) => {
    // A rendered expression is compared parsed; null is compared as it comes.
    const expression = 'result' in expect && expect.result !== null ? `JSON.parse(${call(source, entryPoint)})` : call(source, entryPoint);
    return expressions(entry(name), [[`util.transform ${entryPoint}: ${name}`, expression, expect]]);
  }),
  ...expressions(entry('the shape of the result a filter expression is a JSON string'), [
    ['util.transform filter: the answer is this JSON text', 'util.transform.toDynamoDBFilterExpression({ content: { contains: "foo" } })', {
      result: '{"expression":"(contains(#content,:content_contains))","expressionNames":{"#content":"content"},"expressionValues":{":content_contains":{"S":"foo"}}}',
    }],
  ]),
  ...expressions(entry('the shape of the result a condition expression is a JSON string'), [
    ['util.transform condition: the answer is this JSON text', 'util.transform.toDynamoDBConditionExpression({ and: [{ id: { attributeExists: false } }] })', {
      result: '{"expression":"(attribute_not_exists(#id))","expressionNames":{"#id":"id"},"expressionValues":{}}',
    }],
  ]),
];
