import { expressions, type ConformanceCase } from '../case.ts';
import { recorded } from './sources.ts';

const key = { id: { S: 'test' } };
const numbers = { L: [{ N: 1 }, { N: 2 }, { N: 3 }] };
const update = (expression: string, name: string, value: unknown) => ({
  operation: 'UpdateItem',
  key,
  update: { expression, expressionNames: { '#expName_1': name }, expressionValues: { ':expValue_1': value } },
});

const rows: ReadonlyArray<readonly [string, string, unknown]> = [
  ['DynamoDB module functions get 1', 'ddb.get({ key: { id: "id" } })', { operation: 'GetItem', key: { id: { S: 'id' } } }],
  ['DynamoDB module functions put 1', 'ddb.put({ key: { id: "abc" }, item: { value: 10 } })', {
    operation: 'PutItem',
    key: { id: { S: 'abc' } },
    attributeValues: { value: { N: 10 } },
  }],
  ['DynamoDB module functions remove 1', 'ddb.remove({ key: { id: "test" } })', { operation: 'DeleteItem', key }],
  ['DynamoDB module functions scan 1', 'ddb.scan({ limit: 10, nextToken: "abc" })', { operation: 'Scan', limit: 10, nextToken: 'abc' }],
  ['DynamoDB module functions update add 1', 'ddb.update({ key: { id: "test" }, update: { age: ddb.operations.add(10) } })',
    update('SET #expName_1 = :expValue_1', 'age', { N: 10 })],
  ['DynamoDB module functions update append 1', 'ddb.update({ key: { id: "test" }, update: { values: ddb.operations.append([1, 2, 3]) } })',
    update('SET #expName_1 = list_append(#expName_1, :expValue_1)', 'values', numbers)],
  ['DynamoDB module functions update decrement 1', 'ddb.update({ key: { id: "test" }, update: { age: ddb.operations.decrement(10) } })',
    update('SET #expName_1 = #expName_1 - :expValue_1', 'age', { N: 10 })],
  ['DynamoDB module functions update increment 1', 'ddb.update({ key: { id: "test" }, update: { age: ddb.operations.increment(10) } })',
    update('SET #expName_1 = #expName_1 + :expValue_1', 'age', { N: 10 })],
  ['DynamoDB module functions update prepend 1', 'ddb.update({ key: { id: "test" }, update: { values: ddb.operations.prepend([1, 2, 3]) } })',
    update('SET #expName_1 = list_append(:expValue_1, #expName_1)', 'values', numbers)],
  ['DynamoDB module functions update replace 1', 'ddb.update({ key: { id: "test" }, update: { values: ddb.operations.replace({ a: 10 }) } })',
    update('SET #expName_1 = :expValue_1', 'values', { M: { a: { N: 10 } } })],
  ['DynamoDB operations add 1', 'ddb.operations.add(10)', { type: 'OPERATION_ADD', value: 10 }],
  ['DynamoDB operations append 1', 'ddb.operations.append([1, 2, 3])', { type: 'OPERATION_APPEND', items: [1, 2, 3] }],
  ['DynamoDB operations decrement 1', 'ddb.operations.decrement(10)', { type: 'OPERATION_DECREMENT', by: 10 }],
  ['DynamoDB operations increment 1', 'ddb.operations.increment(10)', { type: 'OPERATION_INCREMENT', by: 10 }],
  ['DynamoDB operations prepend 1', 'ddb.operations.prepend([1, 2, 3])', { type: 'OPERATION_PREPEND', items: [1, 2, 3] }],
  ['DynamoDB operations replace 1', 'ddb.operations.replace({ a: 10 })', { type: 'OPERATION_REPLACE', value: { a: 10 } }],
];

export const dynamodbModuleCases: ConformanceCase[] = [
  ...rows.flatMap(([entry, expression, result]) =>
    expressions(recorded('index', entry), [[`@aws-appsync/utils/dynamodb: ${expression} builds AppSync's request`, expression, { result }]]),
  ),
  ...expressions(
    `${recorded('index', 'DynamoDB module functions sync 1')}: AppSync answered "Property 'sync' does not exist on type ... dynamo-db-helpers"`,
    [['@aws-appsync/utils/dynamodb has no sync helper in AppSync', 'ddb.sync({ limit: 10, nextToken: "abc", lastSync: 1 })', { refused: true }]],
  ),
];
