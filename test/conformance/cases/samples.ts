// Resolvers from AWS's samples: AppSync runs them as written, so the local runtime must run them too.
import type { ConformanceCase } from '../case.ts';
import { sample } from './sources.ts';

// Each case is a small module of our own that uses the helpers and shapes of one sample.
export const sampleCases: ConformanceCase[] = [
  {
    name: 'a query with a key condition and a contains filter runs',
    source: sample('samples/dynamodb/queries/with-contains-expression.js'),
    context: { arguments: { id: 'a', tag: 't' } },
    code: `import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  const request = ddb.query({ query: { id: { eq: ctx.args.id } }, filter: { tags: { contains: ctx.args.tag } } });
  return request.operation;
}
export function response(ctx) {
  return ctx.result.items;
}
`,
    expect: { result: 'Query' },
  },
  {
    name: 'an update that increments a version under a condition runs',
    source: sample('samples/dynamodb/general/updateIncrementCount.js'),
    context: { arguments: { input: { id: 'a', title: 'x' } } },
    code: `import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  const { id, ...values } = ctx.args.input;
  values.version = ddb.operations.increment(1);
  return ddb.update({ key: { id }, update: values, condition: { id: { attributeExists: true } } }).operation;
}
export function response(ctx) {
  return ctx.result;
}
`,
    expect: { result: 'UpdateItem' },
  },
  {
    name: 'a query on the items of today runs',
    source: sample('samples/dynamodb/queries/all-items-today.js'),
    context: { arguments: { id: 'a' } },
    code: `import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  const today = util.time.nowISO8601().substring(0, 10);
  return ddb.query({ query: { id: { eq: ctx.args.id }, createdAt: { beginsWith: today } } }).operation;
}
export function response(ctx) {
  return ctx.result.items;
}
`,
    expect: { result: 'Query' },
  },
  {
    name: 'an enhanced subscription filter is set from a NONE response handler',
    source: sample('samples/NONE/enhancedSubscription.js'),
    function: 'response',
    context: { result: null },
    code: `import { util, extensions } from '@aws-appsync/utils';
export function request(ctx) {
  return { payload: {} };
}
export function response(ctx) {
  const groups = ['admin', 'operators'];
  const filter = util.transform.toSubscriptionFilter({
    or: [
      { and: [{ severity: { ge: 7 } }, { priority: { in: ['high', 'medium'] } }] },
      { and: [{ classification: { eq: 'security' } }, { group: { in: groups } }] },
    ],
  });
  extensions.setSubscriptionFilter(filter);
  return null;
}
`,
    expect: { result: null },
  },
];
