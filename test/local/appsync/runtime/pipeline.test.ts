import { afterEach, describe, expect, it } from 'vitest';
import type { LambdaHandler } from '../../../../local/appsync/runtime/index.ts';
import type { PipelineStep } from '../../../../resolvers/manifest.ts';
import { fixtureRuntime, type FixtureRuntime } from './support/fixture-runtime.ts';

let fixture: FixtureRuntime | undefined;
afterEach(() => fixture?.close());

/** A pipeline `Query.field` whose resolver handlers and functions are the given module sources. */
function pipeline(resolver: string, functions: string[], lambdas = {}) {
  const modules: Record<string, string> = { 'Query.field/index': resolver };
  const steps: PipelineStep[] = functions.map((source, i) => {
    modules[`Query.field/${i + 1}-step`] = source;
    return { name: `step${i + 1}`, code: `Query.field/${i + 1}-step`, dataSource: 'none' };
  });
  fixture = fixtureRuntime({ modules, resolvers: [{ typeName: 'Query', fieldName: 'field', kind: 'PIPELINE', code: 'Query.field/index', steps }], lambdas });
  return fixture;
}

const passThroughResolver = `
export function request(ctx) { ctx.stash.trail = ['resolver.request']; return { from: 'resolver' }; }
export function response(ctx) { return { prev: ctx.prev.result, trail: [...ctx.stash.trail, 'resolver.response'] }; }
`;

/** A function that records its handlers in the stash and passes `{ step: n }` along. */
const step = (n: number) => `
export function request(ctx) { ctx.stash.trail.push('f${n}.request'); return { payload: { step: ${n}, prev: ctx.prev.result } }; }
export function response(ctx) { ctx.stash.trail.push('f${n}.response'); return ctx.result; }
`;

describe('pipeline resolvers', () => {
  it('run resolver request, each function, then resolver response, sharing the stash', async () => {
    const f = pipeline(passThroughResolver, [step(1), step(2)]);

    const { data, errors } = await f.resolve('Query', 'field');

    expect(errors).toEqual([]);
    expect(data).toEqual({
      prev: { step: 2, prev: { step: 1, prev: { from: 'resolver' } } },
      trail: ['resolver.request', 'f1.request', 'f1.response', 'f2.request', 'f2.response', 'resolver.response'],
    });
  });

  it('skip every function when the resolver request handler returns early', async () => {
    const resolver = `
import { runtime } from '@aws-appsync/utils';
export function request(ctx) { ctx.stash.trail = ['resolver.request']; runtime.earlyReturn({ early: true }); }
export function response(ctx) { return { prev: ctx.prev.result, trail: [...ctx.stash.trail, 'resolver.response'] }; }
`;
    const f = pipeline(resolver, [step(1)]);

    const { data } = await f.resolve('Query', 'field');

    expect(data).toEqual({ prev: { early: true }, trail: ['resolver.request', 'resolver.response'] });
  });

  it("skip a function's data source and response handler when its request handler returns early", async () => {
    const early = `
import { runtime } from '@aws-appsync/utils';
export function request(ctx) { ctx.stash.trail.push('f1.request'); return runtime.earlyReturn({ skipped: 1 }); }
export function response(ctx) { ctx.stash.trail.push('f1.response'); return 'never'; }
`;
    const f = pipeline(passThroughResolver, [early, step(2)]);

    const { data } = await f.resolve('Query', 'field');

    expect(data).toEqual({
      prev: { step: 2, prev: { skipped: 1 } },
      trail: ['resolver.request', 'f1.request', 'f2.request', 'f2.response', 'resolver.response'],
    });
  });

  it('skip the remaining functions when a function returns early with skipTo END', async () => {
    const early = `
import { runtime } from '@aws-appsync/utils';
export function request(ctx) { ctx.stash.trail.push('f1.request'); runtime.earlyReturn('done', { skipTo: 'END' }); }
export function response() { return null; }
`;
    const f = pipeline(passThroughResolver, [early, step(2)]);

    const { data } = await f.resolve('Query', 'field');

    expect(data).toEqual({ prev: 'done', trail: ['resolver.request', 'f1.request', 'resolver.response'] });
  });

  it('end with data null and the error when a function calls util.error', async () => {
    const failing = `
import { util } from '@aws-appsync/utils';
export function request(ctx) { util.error('bad input', 'ValidationError', { a: 1 }, { field: 'x' }); }
export function response() { return null; }
`;
    const f = pipeline(passThroughResolver, [failing, step(2)]);

    const { data, errors } = await f.resolve('Query', 'field');

    expect(data).toBeNull();
    expect(errors).toEqual([{ message: 'bad input', errorType: 'ValidationError', data: { a: 1 }, errorInfo: { field: 'x' } }]);
  });

  it('keep the data and add the errors of util.appendError', async () => {
    const appending = `
import { util } from '@aws-appsync/utils';
export function request() { util.appendError('first'); return { payload: 1 }; }
export function response(ctx) { util.appendError('second', 'Partial'); return ctx.result; }
`;
    const f = pipeline(`export function request() { return {}; } export function response(ctx) { return ctx.prev.result; }`, [appending]);

    const { data, errors } = await f.resolve('Query', 'field');

    expect(data).toBe(1);
    expect(errors).toEqual([
      { message: 'first', errorType: 'CustomTemplateException', data: null, errorInfo: null },
      { message: 'second', errorType: 'Partial', data: null, errorInfo: null },
    ]);
  });
});

describe('unit resolvers', () => {
  const unit = (source: string, dataSource: 'none' | 'presignUpload' = 'none', lambdas: Record<string, LambdaHandler> = { fn: async () => null }) => {
    fixture = fixtureRuntime({
      modules: { 'Query.field': source },
      resolvers: [{ typeName: 'Query', fieldName: 'field', kind: 'UNIT', code: 'Query.field', dataSource }],
      dataSources: { none: { kind: 'NONE' }, presignUpload: { kind: 'LAMBDA', handler: 'fn' } },
      lambdas,
    });
    return fixture;
  };

  it('see the arguments, identity, request headers and info in ctx', async () => {
    const f = unit(`
export function request(ctx) { return { payload: { args: ctx.args, same: ctx.arguments === ctx.args, identity: ctx.identity, header: ctx.request.headers['x-test'], info: ctx.info.fieldName } }; }
export function response(ctx) { return ctx.result; }
`);

    const { data } = await f.resolve('Query', 'field', { id: 'a' });

    expect(data).toEqual({ args: { id: 'a' }, same: true, identity: null, header: 'yes', info: 'field' });
  });

  it('skip the data source and the response handler when the request handler returns early', async () => {
    let called = false;
    const f = unit(
      `
import { runtime } from '@aws-appsync/utils';
export function request() { runtime.earlyReturn({ cached: true }); }
export function response() { return 'not this'; }
`,
      'presignUpload',
      { fn: async () => { called = true; return 1; } },
    );

    const { data } = await f.resolve('Query', 'field');

    expect(data).toEqual({ cached: true });
    expect(called).toBe(false);
  });

  it('give the Lambda the payload and its result to the response handler', async () => {
    const events: unknown[] = [];
    const f = unit(
      `
export function request(ctx) { return { operation: 'Invoke', payload: { id: ctx.args.id } }; }
export function response(ctx) { return { got: ctx.result, error: ctx.error ?? null }; }
`,
      'presignUpload',
      { fn: async (event: unknown) => { events.push(event); return { ok: true }; } },
    );

    const { data } = await f.resolve('Query', 'field', { id: 'x' });

    expect(events).toEqual([{ id: 'x' }]);
    expect(data).toEqual({ got: { ok: true }, error: null });
  });

  it("report a Lambda error as ctx.error of type Lambda:Unhandled, which only util.error raises", async () => {
    const failure = Object.assign(new Error('No blob x'), { name: 'NotFound' });
    const f = unit(
      `
export function request() { return { operation: 'Invoke', payload: {} }; }
export function response(ctx) { return { result: ctx.result, error: ctx.error }; }
`,
      'presignUpload',
      { fn: async () => { throw failure; } },
    );

    const { data, errors } = await f.resolve('Query', 'field');

    expect(errors).toEqual([]);
    expect(data).toEqual({ result: null, error: { message: 'No blob x', type: 'Lambda:Unhandled' } });
  });

  it('give ctx.result the NONE payload as JSON', async () => {
    const f = unit(`
export function request() { return { payload: { when: 1, skip: undefined, nested: [1, { a: undefined }] } }; }
export function response(ctx) { return ctx.result; }
`);

    const { data } = await f.resolve('Query', 'field');

    expect(data).toEqual({ when: 1, nested: [1, {}] });
  });

  it("fail with errorType Unauthorized when util.unauthorized is called", async () => {
    const f = unit(`
import { util } from '@aws-appsync/utils';
export function request() { util.unauthorized(); }
export function response() { return null; }
`);

    const { data, errors } = await f.resolve('Query', 'field');

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access field on type Query' })]);
  });

  it('fail with errorType Code and the position when resolver code throws a JavaScript error', async () => {
    const f = unit(`export function request(ctx) {
  return { payload: ctx.args.missing.deeper };
}
export function response(ctx) { return ctx.result; }
`);

    const { data, errors } = await f.resolve('Query', 'field');

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'Code' })]);
    expect(errors[0].message).toMatch(/Query\.field\.js:2:\d+: TypeError: Cannot read properties of undefined \(reading 'deeper'\)/);
  });

  it('stop a handler that runs past the time limit', async () => {
    fixture = fixtureRuntime({
      modules: { 'Query.field': 'export function request() { for (;;) {} }\nexport function response() { return 1; }\n' },
      resolvers: [{ typeName: 'Query', fieldName: 'field', kind: 'UNIT', code: 'Query.field', dataSource: 'none' }],
      handlerTimeoutMs: 50,
      // for(;;) is refused by AppSync's checks; it stands in here for any handler that runs too long.
      checkCode: false,
    });

    const { errors } = await fixture.resolve('Query', 'field');

    expect(errors).toEqual([expect.objectContaining({ errorType: 'Code', message: expect.stringContaining('timed out') })]);
  });

  it('route console output to the logger, tagged with the resolver', async () => {
    const f = unit(`
export function request(ctx) { console.log('args', ctx.args); console.error('oops'); return { payload: 1 }; }
export function response(ctx) { return ctx.result; }
`);

    await f.resolve('Query', 'field', { a: 1 });

    expect(f.logs).toEqual(expect.arrayContaining([{ level: 'info', message: 'args {"a":1}' }, { level: 'error', message: 'oops' }]));
  });

  it('start no further handler or data source call once the invocation is aborted', async () => {
    const controller = new AbortController();
    const events: unknown[] = [];
    const work: LambdaHandler = async (event) => {
      events.push(event);
      // The client goes away while the first data source call runs.
      controller.abort({ errorType: 'RequestAborted', message: 'The request was aborted.' });
      return event;
    };
    const step = (n: number) => `
export function request() { return { operation: 'Invoke', payload: { step: ${n} } }; }
export function response(ctx) { return ctx.result; }
`;
    fixture = fixtureRuntime({
      modules: { 'Query.field/index': passThroughResolver, 'Query.field/1-step': step(1), 'Query.field/2-step': step(2) },
      resolvers: [
        {
          typeName: 'Query',
          fieldName: 'field',
          kind: 'PIPELINE',
          code: 'Query.field/index',
          steps: [
            { name: 'step1', code: 'Query.field/1-step', dataSource: 'presignUpload' },
            { name: 'step2', code: 'Query.field/2-step', dataSource: 'presignUpload' },
          ],
        },
      ],
      dataSources: { presignUpload: { kind: 'LAMBDA', handler: 'work' } },
      lambdas: { work },
    });

    const result = await fixture.resolve('Query', 'field', {}, { signal: controller.signal });

    expect(events).toEqual([{ step: 1 }]);
    expect(result).toEqual({ data: null, errors: [{ errorType: 'RequestAborted', message: 'The request was aborted.' }] });
  });

  it('run nothing for an invocation aborted before it starts', async () => {
    const f = pipeline(passThroughResolver, [step(1)], {});
    const controller = new AbortController();
    controller.abort();

    const result = await f.resolve('Query', 'field', {}, { signal: controller.signal });

    expect(result).toEqual({ data: null, errors: [{ errorType: 'RequestAborted', message: 'The request was aborted.' }] });
  });
});
